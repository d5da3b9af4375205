package io.github.mskproducer.benchmarks.internal;

import io.github.mskproducer.testkit.TestLambdaContext;
import io.github.mskproducer.lambda.InvocationResult;
import io.github.mskproducer.lambda.LambdaProducer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Benchmark 6: what the end of an invocation costs: after the handler's sends, until the
 * invocation can return with every record's outcome known. msk-producer-lambda's flush (bounded
 * by the remaining time, with its per-record report and log line) versus a reused hand-wired
 * producer's {@code flush()} and checking each future.
 */
public final class LambdaFlushBenchmark {
  static final String TOPIC = "bench-invocation";
  private static final int[] COUNTS = {1, 10, 100};

  private LambdaFlushBenchmark() {}

  /**
   * Runs it.
   *
   * @param b the bench
   * @return the section
   * @throws Exception if a run fails
   */
  public static Section run(Bench b) throws Exception {
    b.msk().createTopic(TOPIC, 3);
    int rounds = b.size(200, 3);
    int warmup = b.size(10, 1);
    byte[] value = Producers.payloads(1024, 1)[0];
    Map<Integer, List<Double>> lambda = new LinkedHashMap<>();
    Map<Integer, List<Double>> hand = new LinkedHashMap<>();
    try (LambdaProducer<byte[], byte[]> lp =
            LambdaProducer.builder(byte[].class, byte[].class)
                .producer(
                    p ->
                        p.bootstrapServers(b.target().bootstrap())
                            .region(b.target().region())
                            .truststore(Path.of(b.target().truststore()))
                            .linger(java.time.Duration.ofMillis(10))) // as hand-wired's
                .prewarm(TOPIC)
                .shutdownHook(false)
                .build();
        KafkaProducer<byte[], byte[]> kp = Producers.handWired(b.target(), Map.of("client.id", "bench-invocation-hand"))) {
      for (int r = -warmup; r < rounds; r++) {
        for (int n : COUNTS) {
          // Alternated A/B, B/A: the side that goes second finds the broker's threads just
          // woken by the first (on two cores shared with the broker, worth tenths of a ms).
          double l;
          double h;
          if ((r & 1) == 0) {
            l = lambdaInvocation(lp, n, value);
            h = handInvocation(kp, n, value);
          } else {
            h = handInvocation(kp, n, value);
            l = lambdaInvocation(lp, n, value);
          }
          if (r >= 0) {
            lambda.computeIfAbsent(n, k -> new ArrayList<>()).add(l);
            hand.computeIfAbsent(n, k -> new ArrayList<>()).add(h);
          }
        }
      }
    }
    Section s =
        new Section("invocation-flush", "6. Per-invocation cost in Lambda mode: the end-of-invocation flush")
            .text(
                "One execution environment, invoked "
                    + rounds
                    + " times per record count (after "
                    + warmup
                    + " warm-up rounds, the two sides alternating which goes first), records of 1 KiB"
                    + " to a topic of 3 partitions. Figure: from"
                    + " the handler's last `send` returning to the moment the invocation may return"
                    + " with every record's outcome known. msk-producer-lambda:"
                    + " `LambdaProducer.invoke` (flush bounded by the remaining time, per-record"
                    + " report, one JSON log line, to a file here); hand-wired: a reused"
                    + " `KafkaProducer`'s `flush()`, then `get()` on each future. Both sides linger"
                    + " 10 ms, so a flush that has to wait for the linger costs up to 10 ms.")
            .table(
                null,
                "records per invocation",
                "hand-wired, ms median (min to max)",
                "msk-producer-lambda, ms median (min to max)",
                "hand-wired p90, ms",
                "msk-producer-lambda p90, ms",
                "ratio of medians");
    List<Object> json = new ArrayList<>();
    for (int n : COUNTS) {
      Stats h = Stats.of(hand.get(n));
      Stats l = Stats.of(lambda.get(n));
      double ratio = l.median() / h.median();
      s.row(n, h.medianRange(2), l.medianRange(2), Stats.fmt(h.percentile(90), 2), Stats.fmt(l.percentile(90), 2), Stats.fmt(ratio, 2));
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("records", n);
      o.put("handWiredMs", h.toMap());
      o.put("mskProducerLambdaMs", l.toMap());
      o.put("ratio", Stats.round(ratio));
      json.add(o);
    }
    return s.put("results", json);
  }

  private static double lambdaInvocation(LambdaProducer<byte[], byte[]> lp, int n, byte[] value) {
    long[] sent = {0};
    InvocationResult<byte[], byte[], Void> r =
        lp.invoke(
            TestLambdaContext.of(java.util.UUID.randomUUID().toString(), java.time.Duration.ofMillis(60_000)),
            inv -> {
              for (int i = 0; i < n; i++) {
                inv.send(TOPIC, null, value);
              }
              sent[0] = System.nanoTime();
              return null;
            });
    long end = System.nanoTime();
    if (!r.isComplete() || r.flush().acknowledged() != n) {
      throw new IllegalStateException("invocation not complete: " + r);
    }
    return (end - sent[0]) / 1e6;
  }

  private static double handInvocation(KafkaProducer<byte[], byte[]> kp, int n, byte[] value) throws Exception {
    List<Future<RecordMetadata>> futures = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      futures.add(kp.send(new ProducerRecord<>(TOPIC, value)));
    }
    long sent = System.nanoTime();
    kp.flush();
    for (Future<RecordMetadata> f : futures) {
      f.get(60, TimeUnit.SECONDS);
    }
    return (System.nanoTime() - sent) / 1e6;
  }
}
