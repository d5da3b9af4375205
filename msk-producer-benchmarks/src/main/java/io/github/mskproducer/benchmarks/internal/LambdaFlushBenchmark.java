package io.github.mskproducer.benchmarks.internal;

import io.github.mskproducer.core.FlushResult;
import io.github.mskproducer.core.MskProducer;
import io.github.mskproducer.lambda.InvocationResult;
import io.github.mskproducer.lambda.LambdaProducer;
import io.github.mskproducer.testkit.TestLambdaContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Benchmark 6: what the end of an invocation costs: after the handler's sends, until the
 * invocation can return with every record's outcome known. msk-producer-lambda's flush (bounded
 * by the remaining time, with its per-record report and log line) and core's {@code
 * MskProducer.flush(deadline)} versus a reused hand-wired producer's {@code flush()} and checking
 * each future.
 */
public final class LambdaFlushBenchmark {
  static final String TOPIC = "bench-invocation";
  private static final int[] COUNTS = {1, 10, 100};
  /**
   * The invocation's remaining time: Lambda's default function timeout. Shorter than the
   * delivery timeout (15 s in Lambda mode), so the flush's deadline is the one that counts, as in
   * most functions.
   */
  private static final Duration REMAINING = Duration.ofSeconds(3);

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
    int rounds = b.size(300, 3);
    int warmup = b.size(10, 1);
    byte[] value = Producers.payloads(1024, 1)[0];
    Map<Integer, List<Double>> lambda = new LinkedHashMap<>();
    Map<Integer, List<Double>> core = new LinkedHashMap<>();
    Map<Integer, List<Double>> hand = new LinkedHashMap<>();
    Map<Integer, List<Double>> lambdaOwn = new LinkedHashMap<>();
    Map<Integer, List<Double>> lambdaPairs = new LinkedHashMap<>();
    Map<Integer, List<Double>> corePairs = new LinkedHashMap<>();
    try (LambdaProducer<byte[], byte[]> lp =
            LambdaProducer.builder(byte[].class, byte[].class)
                .producer(
                    p ->
                        p.bootstrapServers(b.target().bootstrap())
                            .region(b.target().region())
                            .truststore(Path.of(b.target().truststore()))
                            .linger(Duration.ofMillis(10))) // as hand-wired's
                .prewarm(TOPIC)
                .shutdownHook(false)
                .build();
        MskProducer<byte[], byte[]> mp = Producers.sdk(b.target(), p -> p.linger(Duration.ofMillis(10)));
        KafkaProducer<byte[], byte[]> kp = Producers.handWired(b.target(), Map.of("client.id", "bench-invocation-hand"))) {
      mp.partitionsFor(TOPIC); // connected and the topic known, as the other two after their warm-up
      for (int r = -warmup; r < rounds; r++) {
        for (int n : COUNTS) {
          // The three sides take turns going first: the side that goes after another finds the
          // broker's threads just woken (on two cores shared with the broker, worth tenths of a ms).
          double l = 0;
          double c = 0;
          double h = 0;
          double own = 0;
          for (int turn = 0; turn < 3; turn++) {
            switch ((r + turn + 3) % 3) {
              case 0 -> {
                l = lambdaInvocation(lp, n, value);
                own = l - lp.stats().lastFlush().toNanos() / 1e6;
              }
              case 1 -> c = coreFlush(mp, n, value);
              default -> h = handInvocation(kp, n, value);
            }
          }
          if (r >= 0) {
            lambda.computeIfAbsent(n, k -> new ArrayList<>()).add(l);
            lambdaOwn.computeIfAbsent(n, k -> new ArrayList<>()).add(own * 1000);
            core.computeIfAbsent(n, k -> new ArrayList<>()).add(c);
            hand.computeIfAbsent(n, k -> new ArrayList<>()).add(h);
            lambdaPairs.computeIfAbsent(n, k -> new ArrayList<>()).add(l / h);
            corePairs.computeIfAbsent(n, k -> new ArrayList<>()).add(c / h);
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
                    + " warm-up rounds, the three sides taking turns to go first), records of 1 KiB"
                    + " to a topic of 3 partitions. Figure: from"
                    + " the handler's last `send` returning to the moment the invocation may return"
                    + " with every record's outcome known. msk-producer-lambda:"
                    + " `LambdaProducer.invoke` with a context whose remaining time is "
                    + REMAINING.toSeconds()
                    + " s (Lambda's default timeout, shorter than the 15 s delivery timeout: the flush's"
                    + " deadline is the remaining time less the safety margin), its per-record report;"
                    + " msk-producer: `MskProducer.flush` with a deadline of "
                    + REMAINING.toSeconds()
                    + " s, what a service calls; hand-wired: a reused"
                    + " `KafkaProducer`'s `flush()` (no deadline), then `get()` on each future. All"
                    + " linger 10 ms, so a flush that has to wait for the linger costs up to 10 ms."
                    + " Ratio: msk-producer / hand-wired, the median of each round's paired ratios (it"
                    + " cancels the machine's drift; the medians of the times are in the other columns)."
                    + " msk-producer-lambda's own end: everything of its invocation's end but the"
                    + " `MskProducer.flush` it calls (the function's return, the flush's budget, the"
                    + " result, its counters, the lock), in microseconds.")
            .table(
                null,
                "records per invocation",
                "hand-wired, ms median (min to max)",
                "msk-producer-lambda, ms median (min to max)",
                "msk-producer `flush`, ms median (min to max)",
                "hand-wired p90, ms",
                "msk-producer-lambda p90, ms",
                "msk-producer-lambda: median of paired ratios (min to max)",
                "msk-producer `flush`: median of paired ratios (min to max)",
                "msk-producer-lambda's own end, µs median (p90)");
    List<Object> json = new ArrayList<>();
    for (int n : COUNTS) {
      Stats h = Stats.of(hand.get(n));
      Stats l = Stats.of(lambda.get(n));
      Stats c = Stats.of(core.get(n));
      Stats lp = Stats.of(lambdaPairs.get(n));
      Stats cp = Stats.of(corePairs.get(n));
      s.row(
          n,
          h.medianRange(2),
          l.medianRange(2),
          c.medianRange(2),
          Stats.fmt(h.percentile(90), 2),
          Stats.fmt(l.percentile(90), 2),
          lp.medianRange(3),
          cp.medianRange(3),
          Stats.fmt(Stats.of(lambdaOwn.get(n)).median(), 1)
              + " ("
              + Stats.fmt(Stats.of(lambdaOwn.get(n)).percentile(90), 1)
              + ")");
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("records", n);
      o.put("handWiredMs", h.toMap());
      o.put("mskProducerLambdaMs", l.toMap());
      o.put("mskProducerFlushMs", c.toMap());
      o.put("ratio", Stats.round(lp.median()));
      o.put("ratioOfMedians", Stats.round(l.median() / h.median()));
      o.put("flushRatio", Stats.round(cp.median()));
      o.put("mskProducerLambdaOwnEndMicros", Stats.of(lambdaOwn.get(n)).toMap());
      json.add(o);
    }
    return s.put("results", json);
  }

  private static double lambdaInvocation(LambdaProducer<byte[], byte[]> lp, int n, byte[] value) {
    long[] sent = {0};
    InvocationResult<byte[], byte[], Void> r =
        lp.invoke(
            TestLambdaContext.of(UUID.randomUUID().toString(), REMAINING),
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

  private static double coreFlush(MskProducer<byte[], byte[]> mp, int n, byte[] value) {
    for (int i = 0; i < n; i++) {
      mp.send(new ProducerRecord<>(TOPIC, value));
    }
    long sent = System.nanoTime();
    FlushResult<byte[], byte[]> r = mp.flush(REMAINING);
    long end = System.nanoTime();
    if (!r.isComplete() || r.acknowledged() != n) {
      throw new IllegalStateException("flush not complete: " + r);
    }
    return (end - sent) / 1e6;
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
