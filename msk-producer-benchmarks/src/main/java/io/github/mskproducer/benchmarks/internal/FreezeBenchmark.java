package io.github.mskproducer.benchmarks.internal;

import io.github.mskproducer.lambda.freeze.FreezeRun;
import io.github.mskproducer.testkit.LocalMskBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmark 5: the first acknowledgement after a real freeze (SIGSTOP) with blackholed
 * connections, through the Lambda runtime interface client, using the Lambda module's test
 * harness ({@link FreezeRun}): a plain reused producer versus msk-producer-lambda.
 */
public final class FreezeBenchmark {
  private static final Duration FREEZE = Duration.ofSeconds(5);
  private static final int RECORDS = 5;
  private static final int CONTROL_REQUEST_TIMEOUT_MS = 5000;

  private FreezeBenchmark() {}

  /**
   * Runs it on a broker of its own (proxied, idle timeout 3 s, tokens of 4 s).
   *
   * @param b the bench
   * @return the section
   * @throws Exception if a run fails
   */
  public static Section run(Bench b) throws Exception {
    int cycles = b.size(40, 1);
    int controlCycles = b.size(5, 1);
    Map<String, List<Long>> ms = new LinkedHashMap<>();
    Map<String, Integer> errors = new LinkedHashMap<>();
    try (LocalMskBroker msk =
        LocalMskBroker.builder()
            .proxied(true)
            .connectionsMaxIdle(Duration.ofSeconds(3))
            .maxTokenLifetime(Duration.ofSeconds(4))
            .topic("bench-freeze", 1)
            .topic("bench-freeze-control", 1)
            .start()) {
      String classPath = System.getProperty("java.class.path");
      for (String mode : new String[] {"control", "module"}) {
        int n = mode.equals("module") ? cycles : controlCycles;
        b.progress("freeze: %s, %d freezes of %d s", mode, n, FREEZE.toSeconds());
        FreezeRun.Result r =
            FreezeRun.run(
                msk,
                mode,
                mode.equals("module") ? "bench-freeze" : "bench-freeze-control",
                n,
                RECORDS,
                FREEZE,
                CONTROL_REQUEST_TIMEOUT_MS,
                classPath,
                b.work().resolve("freeze-" + mode + ".log"));
        if (r.initError()) {
          throw new IllegalStateException("the " + mode + " function failed its init; see " + b.work().resolve("freeze-" + mode + ".log"));
        }
        ms.put(mode, r.firstAckAfterThawMs());
        int e = 0;
        for (int i = 1; i < r.responses().size(); i++) {
          var resp = r.responses().get(i);
          if (resp.has("error") || (resp.has("failed") && resp.get("failed").asInt() > 0)) {
            e++;
          }
        }
        errors.put(mode, e);
      }
    }
    Section s =
        new Section("freeze-recovery", "5. Recovery after a Lambda freeze")
            .text(
                "A child JVM runs a handler through the real Lambda runtime interface client"
                    + " against a local Runtime API. After each invocation it is frozen with SIGSTOP"
                    + " for "
                    + FREEZE.toSeconds()
                    + " s, past the broker's idle timeout (3 s) and the token lifetime (4 s), while"
                    + " a proxy silently drops every established connection, as a NAT gateway does"
                    + " after a long freeze; then SIGCONT and the next invocation of "
                    + RECORDS
                    + " records. Figure: from the start of the invocation to the first record's"
                    + " acknowledgement. Plain: a `KafkaProducer` with aws-msk-iam-auth reused"
                    + " across invocations (`request.timeout.ms="
                    + CONTROL_REQUEST_TIMEOUT_MS
                    + "`, lower than Kafka's default 30 s); msk-producer-lambda: `LambdaProducer`"
                    + " with a 2 s thaw threshold (it recycles the client after a freeze). The"
                    + " harness is the Lambda module's `RealFreezeIT`'s.")
            .table(null, "", "freezes", "p50, ms", "p99, ms", "min to max, ms", "invocations with failures");
    Map<String, Object> json = new LinkedHashMap<>();
    for (String mode : new String[] {"control", "module"}) {
      List<Long> v = ms.get(mode);
      Stats st = Stats.of(new ArrayList<>(v));
      s.row(
          mode.equals("module") ? "msk-producer-lambda" : "plain reused producer",
          v.size(),
          Stats.fmt(st.percentile(50), 0),
          Stats.fmt(st.percentile(99), 0),
          Stats.fmt(st.min(), 0) + " to " + Stats.fmt(st.max(), 0),
          errors.get(mode));
      Map<String, Object> o = new LinkedHashMap<>(st.toMap());
      o.put("p50", st.percentile(50));
      o.put("p99", st.percentile(99));
      o.put("invocationsWithFailures", errors.get(mode));
      json.put(mode.equals("module") ? "mskProducerLambda" : "plainReused", o);
    }
    double ratio = Stats.of(new ArrayList<>(ms.get("module"))).percentile(50) / Stats.of(new ArrayList<>(ms.get("control"))).percentile(50);
    s.text("Ratio of the p50s, msk-producer-lambda / plain: **" + Stats.fmt(ratio, 3) + "** (lower is faster).");
    return s.put("results", json).put("ratioP50", Stats.round(ratio));
  }

  private static final Duration SHORT_FREEZE = Duration.ofSeconds(1);
  private static final Duration REFUSED_FOR = Duration.ofSeconds(10);

  /**
   * Benchmark 5b and 5c: the first reconnect after the broker closed the connections during a
   * freeze shorter than the thaw threshold (so nothing recycles), and how reconnects back off
   * while every attempt fails.
   *
   * @param b the bench
   * @return the section
   * @throws Exception if a run fails
   */
  public static Section reconnect(Bench b) throws Exception {
    int cycles = b.size(10, 1);
    Map<String, List<Long>> ms = new LinkedHashMap<>();
    Map<String, Integer> errors = new LinkedHashMap<>();
    Map<String, Map<String, String>> modes = new LinkedHashMap<>();
    modes.put("control", Map.of());
    modes.put("module-before", Map.of("FREEZE_RECONNECT_BACKOFF_MS", "1000"));
    modes.put("module", Map.of());
    try (LocalMskBroker msk =
        LocalMskBroker.builder()
            .proxied(true)
            .topic("bench-reset", 1)
            .topic("bench-reset-control", 1)
            .topic("bench-reset-before", 1)
            .start()) {
      String classPath = System.getProperty("java.class.path");
      for (Map.Entry<String, Map<String, String>> m : modes.entrySet()) {
        String mode = m.getKey();
        boolean module = mode.startsWith("module");
        List<FreezeRun.Cycle> plan = new ArrayList<>();
        for (int c = 0; c < cycles; c++) {
          plan.add(new FreezeRun.Cycle(SHORT_FREEZE, FreezeRun.Fault.RESET));
        }
        b.progress("freeze: %s, %d freezes of %d s with the connections reset", mode, cycles, SHORT_FREEZE.toSeconds());
        Path log = b.work().resolve("reset-" + mode + ".log");
        FreezeRun.Result r =
            FreezeRun.run(
                msk,
                module ? "module" : "control",
                mode.equals("module") ? "bench-reset" : mode.equals("control") ? "bench-reset-control" : "bench-reset-before",
                plan,
                RECORDS,
                CONTROL_REQUEST_TIMEOUT_MS,
                classPath,
                List.of(),
                m.getValue(),
                log);
        if (r.initError()) {
          throw new IllegalStateException("the " + mode + " function failed its init; see " + log);
        }
        ms.put(mode, r.firstAckAfterThawMs());
        int e = 0;
        for (int i = 1; i < r.responses().size(); i++) {
          var resp = r.responses().get(i);
          if (resp.has("error") || (resp.has("failed") && resp.get("failed").asInt() > 0)) {
            e++;
          }
          if (module && resp.has("recycled") && !resp.get("recycled").asText().equals("none")) {
            throw new IllegalStateException(mode + ": a freeze below the thaw threshold recycled the client: " + resp);
          }
        }
        errors.put(mode, e);
      }
    }
    Section s =
        new Section("reconnect", "5b. Reconnect after the broker closed the connections during a short freeze")
            .text(
                "The same harness as table 5, but the freeze lasts "
                    + SHORT_FREEZE.toSeconds()
                    + " s, below msk-producer-lambda's 2 s thaw threshold (so it does not recycle),"
                    + " and the proxy resets every established connection meanwhile, as a broker"
                    + " does at its idle timeout or a restart. Kafka then reconnects after its"
                    + " reconnect back-off. Figure: from the start of the invocation to the first"
                    + " record's acknowledgement. Before: msk-producer-lambda with the back-off it"
                    + " had by default until now (1 s, then up to 10 s); now: its Lambda default"
                    + " (50 ms jittered by 20%, then doubling up to 10 s).")
            .table(null, "", "freezes", "p50, ms", "p99, ms", "min to max, ms", "invocations with failures");
    Map<String, Object> json = new LinkedHashMap<>();
    for (String mode : modes.keySet()) {
      List<Long> v = ms.get(mode);
      Stats st = Stats.of(new ArrayList<>(v));
      String label =
          mode.equals("control")
              ? "plain reused producer (Kafka's 50 ms to 1 s)"
              : mode.equals("module") ? "msk-producer-lambda, now" : "msk-producer-lambda, before (1 s to 10 s)";
      s.row(label, v.size(), Stats.fmt(st.percentile(50), 0), Stats.fmt(st.percentile(99), 0), Stats.fmt(st.min(), 0) + " to " + Stats.fmt(st.max(), 0), errors.get(mode));
      Map<String, Object> o = new LinkedHashMap<>(st.toMap());
      o.put("p50", st.percentile(50));
      o.put("p99", st.percentile(99));
      o.put("invocationsWithFailures", errors.get(mode));
      json.put(mode, o);
    }
    // 5c: every attempt fails.
    Duration refusedFor = refusedFor(b);
    s.table(
        "5c. Reconnects while every attempt fails. A server that accepts each TCP connection"
            + " and closes it at once (the TLS handshake never completes), for "
            + refusedFor.toSeconds()
            + " s after the producer is built and one record is sent. Figure: the connection"
            + " attempts it saw and the gaps between the first ones. MSK limits the rate of new"
            + " connections per broker (IAM authentication is costly); a client that keeps failing"
            + " must slow down",
        "",
        "back-off (initial to max)", "attempts in " + refusedFor.toSeconds() + " s", "gaps between the first attempts, ms");
    Map<String, Object> refusedJson = new LinkedHashMap<>();
    for (String side : new String[] {"plain", "core", "lambda"}) {
      List<Long> attempts = refusedAttempts(b, side);
      List<Long> gaps = new ArrayList<>();
      for (int i = 1; i < attempts.size() && gaps.size() < 9; i++) {
        gaps.add(attempts.get(i) - attempts.get(i - 1));
      }
      String label =
          side.equals("plain")
              ? "plain `KafkaProducer`"
              : side.equals("core") ? "msk-producer (`MskProducer`)" : "msk-producer-lambda";
      String backoff = side.equals("plain") ? "50 ms to 1 s" : side.equals("core") ? "1 s to 10 s" : "50 ms to 10 s";
      s.row(label, backoff, attempts.size(), gaps.toString().replace("[", "").replace("]", ""));
      refusedJson.put(side, Map.of("attempts", attempts.size(), "gapsMs", gaps));
    }
    json.put("refused", refusedJson);
    return s.put("results", json);
  }

  /** Connection attempts (ms since the first) at a server that closes each one at once. */
  private static List<Long> refusedAttempts(Bench b, String side) throws Exception {
    Duration refusedFor = refusedFor(b);
    // Each side's send waits for metadata at most the window (max block = the window), so a
    // side takes the window, not the 60 s default max block (3 minutes of each smoke run).
    long end = System.nanoTime() + refusedFor.toNanos();
    List<Long> at = java.util.Collections.synchronizedList(new ArrayList<>());
    java.net.ServerSocket server = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
    try {
      Thread acceptor =
          new Thread(
              () -> {
                long first = -1;
                while (!server.isClosed()) {
                  try (java.net.Socket s = server.accept()) {
                    s.setSoLinger(true, 0); // closed at once: a reset, as a broker refusing
                    long now = System.nanoTime() / 1_000_000;
                    if (first < 0) {
                      first = now;
                    }
                    at.add(now - first);
                  } catch (java.io.IOException e) {
                    return;
                  }
                }
              },
              "bench-refusing-server");
      acceptor.setDaemon(true);
      acceptor.start();
      String bootstrap = "localhost:" + server.getLocalPort();
      Target t = b.target();
      if (side.equals("plain")) {
        try (org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]> p =
            io.github.mskproducer.benchmarks.internal.handwired.HandWired.bytes(
                bootstrap,
                t.truststore(),
                Map.of("client.id", "bench-refused-plain", "max.block.ms", String.valueOf(refusedFor.toMillis())))) {
          sendIgnoringTimeout(() -> p.send(new org.apache.kafka.clients.producer.ProducerRecord<>("bench-refused", new byte[1])));
          sleepUntil(end);
          p.close(Duration.ZERO);
        }
      } else if (side.equals("core")) {
        try (io.github.mskproducer.core.MskProducer<byte[], byte[]> p =
            io.github.mskproducer.core.MskProducer.builder(byte[].class, byte[].class)
                .bootstrapServers(bootstrap)
                .region(t.region())
                .truststore(Path.of(t.truststore()))
                .clientId("bench-refused-core")
                .timeouts(x -> x.maxBlock(refusedFor))
                .build()) {
          sendIgnoringTimeout(() -> p.send("bench-refused", new byte[1]));
          sleepUntil(end);
          p.close(Duration.ZERO);
        }
      } else {
        try (io.github.mskproducer.lambda.LambdaProducer<byte[], byte[]> p =
            io.github.mskproducer.lambda.LambdaProducer.builder(byte[].class, byte[].class)
                .producer(
                    x ->
                        x.bootstrapServers(bootstrap)
                            .region(t.region())
                            .truststore(Path.of(t.truststore()))
                            .clientId("bench-refused-lambda")
                            .timeouts(y -> y.maxBlock(refusedFor)))
                .shutdownHook(false)
                .build()) {
          p.invoke(
              io.github.mskproducer.testkit.TestLambdaContext.of("refused", refusedFor.plusSeconds(1)),
              inv -> {
                sendIgnoringTimeout(() -> inv.send("bench-refused", null, new byte[1]));
                sleepUntil(end);
                return null;
              });
        }
      }
    } finally {
      server.close();
    }
    List<Long> attempts = new ArrayList<>(at);
    attempts.removeIf(ms -> ms > refusedFor.toMillis());
    return attempts;
  }

  private static Duration refusedFor(Bench b) {
    return b.smoke() ? Duration.ofSeconds(3) : REFUSED_FOR;
  }

  /** A send whose only expected end is max block running out (nothing answers). */
  private static void sendIgnoringTimeout(Runnable send) {
    try {
      send.run();
    } catch (RuntimeException expected) {
      // max block ran out, or the send was refused: the connection attempts are what counts
    }
  }

  private static void sleepUntil(long nanoTime) throws InterruptedException {
    long left = nanoTime - System.nanoTime();
    if (left > 0) {
      Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
    }
  }
}
