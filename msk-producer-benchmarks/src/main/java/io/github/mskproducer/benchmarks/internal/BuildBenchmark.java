package io.github.mskproducer.benchmarks.internal;

import io.github.mskproducer.core.MskAuth;
import io.github.mskproducer.core.MskProducer;
import io.github.mskproducer.core.MskProducerBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * Benchmark 8: how long {@code build()} holds its caller, which it must never do for the
 * network: against the local broker (and the time until {@code awaitReady} returns), against a
 * bootstrap that accepts connections and never answers, and with a credentials provider that
 * hangs (an IMDS or STS call that does not come back).
 */
public final class BuildBenchmark {
  private BuildBenchmark() {}

  /** Blocks until released, as an IMDS or STS call that hangs would. */
  private static final class Hanging implements AwsCredentialsProvider {
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public AwsCredentials resolveCredentials() {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return AwsBasicCredentials.create("AKIAEXAMPLE", "released");
    }
  }

  /**
   * Runs it.
   *
   * @param b the bench
   * @return the section
   * @throws Exception if a run fails
   */
  public static Section run(Bench b) throws Exception {
    int rounds = b.size(30, 2);
    List<Double> normal = new ArrayList<>();
    List<Double> ready = new ArrayList<>();
    List<Double> blackholed = new ArrayList<>();
    List<Double> hanging = new ArrayList<>();
    List<Socket> accepted = new ArrayList<>();
    try (ServerSocket blackhole = new ServerSocket(0)) {
      Thread acceptor =
          new Thread(
              () -> {
                while (!blackhole.isClosed()) {
                  try {
                    accepted.add(blackhole.accept());
                  } catch (IOException e) {
                    return;
                  }
                }
              },
              "bench-blackhole");
      acceptor.setDaemon(true);
      acceptor.start();
      for (int r = -1; r < rounds; r++) { // round -1 warms the classes up
        long t0 = System.nanoTime();
        MskProducer<byte[], byte[]> p = builder(b).build();
        long t1 = System.nanoTime();
        if (!p.awaitReady(Duration.ofSeconds(30))) {
          throw new IllegalStateException("not ready in 30 s against the local broker");
        }
        long t2 = System.nanoTime();
        p.close(Duration.ZERO);

        long t3 = System.nanoTime();
        MskProducer<byte[], byte[]> dead = builder(b).bootstrapServers("localhost:" + blackhole.getLocalPort()).build();
        long t4 = System.nanoTime();
        dead.close(Duration.ZERO);

        Hanging credentials = new Hanging();
        long t5 = System.nanoTime();
        MskProducer<byte[], byte[]> stuck = builder(b).auth(MskAuth.iam(c -> c.credentialsProvider(credentials))).build();
        long t6 = System.nanoTime();
        stuck.close(Duration.ZERO);
        credentials.release.countDown();
        if (r >= 0) {
          normal.add((t1 - t0) / 1e6);
          ready.add((t2 - t0) / 1e6);
          blackholed.add((t4 - t3) / 1e6);
          hanging.add((t6 - t5) / 1e6);
        }
      }
    } finally {
      for (Socket s : accepted) {
        s.close();
      }
    }
    Section s =
        new Section("build", "8. build(): how long it holds the caller")
            .text(
                rounds
                    + " rounds in one warm JVM (after one warm-up round). build() checks the options"
                    + " and returns; the start (credentials, first token, Kafka producer, first"
                    + " authentication) runs on a thread of its own. Local broker: build(), then"
                    + " awaitReady() until started. Blackholed: a bootstrap that accepts TCP and never"
                    + " answers (TLS never completes). Hanging credentials: a provider whose first"
                    + " call blocks until the producer is closed.")
            .table(null, "case", "build(), ms median (min to max)", "build() p99, ms");
    Map<String, List<Double>> cases = new LinkedHashMap<>();
    cases.put("local broker", normal);
    cases.put("local broker, build() to awaitReady() true", ready);
    cases.put("blackholed bootstrap", blackholed);
    cases.put("hanging credentials provider", hanging);
    Map<String, Object> json = new LinkedHashMap<>();
    for (Map.Entry<String, List<Double>> c : cases.entrySet()) {
      Stats st = Stats.of(c.getValue());
      s.row(c.getKey(), st.medianRange(2), Stats.fmt(st.percentile(99), 2));
      json.put(c.getKey(), st.toMap());
    }
    return s.put("results", json);
  }

  private static MskProducerBuilder<byte[], byte[]> builder(Bench b) {
    return MskProducer.builder(byte[].class, byte[].class)
        .bootstrapServers(b.target().bootstrap())
        .region(b.target().region())
        .truststore(Path.of(b.target().truststore()));
  }
}
