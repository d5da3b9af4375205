package io.github.mskproducer.benchmarks.internal;

import io.github.mskproducer.core.FlushResult;
import io.github.mskproducer.core.MskProducer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Benchmark 1: records/s and MB/s, hand-wired versus msk-producer, alternating A/B runs on the
 * same broker, each run a fresh producer (connected and with metadata before the clock starts),
 * timed from the first send to the last acknowledgement.
 */
public final class ThroughputBenchmark {
  static final String TOPIC = "bench-throughput";
  // For profiling by hand, e.g. -Dbench.throughput.sizes=100 -Dbench.throughput.rounds=21: the
  // full suite always runs all three sizes and its rounds.
  private static final int[] SIZES =
      java.util.Arrays.stream(System.getProperty("bench.throughput.sizes", "100,1024,10240").split(","))
          .mapToInt(v -> Integer.parseInt(v.trim()))
          .toArray();
  private static final Map<Integer, byte[][]> PAYLOADS = new java.util.concurrent.ConcurrentHashMap<>();

  private ThroughputBenchmark() {}

  /**
   * Runs it.
   *
   * @param b the bench
   * @return the section
   * @throws Exception if a run fails
   */
  public static Section run(Bench b) throws Exception {
    b.msk().createTopic(TOPIC, 3);
    int rounds = b.size(Integer.getInteger("bench.throughput.rounds", 9), 1);
    Section s =
        new Section("throughput", "1. Throughput: hand-wired versus msk-producer")
            .text(
                "Each run builds a fresh producer, waits for its first record to be acknowledged"
                    + " (connection, TLS, IAM and metadata done), then sends N records without key"
                    + " as fast as `send` takes them and stops the clock when the last one is"
                    + " acknowledged. Same settings on both sides: acks=all, idempotence, lz4,"
                    + " linger 10 ms, 64 KiB batches, topic of 3 partitions; JSON order events padded with random letters"
                    + " (4,096 different values). Runs alternate A/B, B/A round after round after a"
                    + " discarded warm-up run of each side at each size, so that neither side always runs on a"
                    + " warmer JVM or a fuller log. Hand-wired: `KafkaProducer` with"
                    + " aws-msk-iam-auth's `IAMOAuthBearerLoginCallbackHandler`, `send(record, callback)`;"
                    + " msk-producer, callback: `MskProducer.send(record, callback)`, the same call;"
                    + " msk-producer, future: `MskProducer.send(record)` (a `CompletableFuture` per"
                    + " record); both ended with `flush(deadline)`. Ratio = msk-producer /"
                    + " hand-wired; the paired ratios divide each round's adjacent runs (the three"
                    + " sides rotate their order round after round), which cancels slow drift of"
                    + " the machine. The goal is at least 0.98 for the like-for-like call, the"
                    + " callback. Records per second swing by up to 2x from run to run on two cores"
                    + " shared with the broker; the CPU columns are steadier: the CPU time of the"
                    + " client's own threads (the sending thread and Kafka's I/O thread, from"
                    + " `ThreadMXBean`) per record, from the first send to the flush's return, and of it Kafka's I/O"
                    + " thread's (the rest is the sending thread's); a CPU ratio of 1.02 is a 2% cost.")
            .knobs("bench.throughput.")
            .table(
                null,
                "record size",
                "records per run",
                "runs each",
                "hand-wired records/s, median (min to max)",
                "msk-producer, callback, records/s, median (min to max)",
                "msk-producer, future, records/s, median (min to max)",
                "hand-wired MB/s",
                "msk-producer, callback, MB/s",
                "callback: median of paired ratios (min to max)",
                "future: median of paired ratios (min to max)",
                "CPU ns per record: hand-wired / callback / future, medians",
                "of which Kafka's I/O thread: hand-wired / callback / future, medians",
                "callback CPU: median of paired ratios (min to max)",
                "future CPU: median of paired ratios (min to max)");
    if (!b.smoke()) {
      // JIT of both clients and of the broker: one discarded run of each side at each size.
      for (int size : SIZES) {
        b.progress("throughput: warm-up at %d B", size);
        handWired(b, size, records(b, size));
        sdk(b, size, records(b, size), true);
        sdk(b, size, records(b, size), false);
      }
    }
    List<Object> json = new ArrayList<>();
    for (int size : SIZES) {
      int records = records(b, size);
      List<Double> hand = new ArrayList<>();
      List<Double> callback = new ArrayList<>();
      List<Double> future = new ArrayList<>();
      List<Double> handCpu = new ArrayList<>();
      List<Double> callbackCpu = new ArrayList<>();
      List<Double> futureCpu = new ArrayList<>();
      List<Double> handIo = new ArrayList<>();
      List<Double> callbackIo = new ArrayList<>();
      List<Double> futureIo = new ArrayList<>();
      for (int r = 0; r < rounds; r++) {
        // Rotate the order: H C F, C F H, F H C, ...
        for (int k = 0; k < 3; k++) {
          switch ((r + k) % 3) {
            case 0 -> {
              hand.add(handWired(b, size, records));
              handCpu.add(lastCpuNanosPerRecord);
              handIo.add(lastIoNanosPerRecord);
            }
            case 1 -> {
              callback.add(sdk(b, size, records, true));
              callbackCpu.add(lastCpuNanosPerRecord);
              callbackIo.add(lastIoNanosPerRecord);
            }
            default -> {
              future.add(sdk(b, size, records, false));
              futureCpu.add(lastCpuNanosPerRecord);
              futureIo.add(lastIoNanosPerRecord);
            }
          }
        }
        b.progress(
            "throughput %d B round %d: hand-wired %.0f/s, msk-producer callback %.0f/s, future %.0f/s",
            size, r + 1, hand.get(r), callback.get(r), future.get(r));
      }
      Stats h = Stats.of(hand);
      Stats c = Stats.of(callback);
      Stats f = Stats.of(future);
      List<Double> cPairs = new ArrayList<>();
      List<Double> fPairs = new ArrayList<>();
      List<Double> cCpuPairs = new ArrayList<>();
      List<Double> fCpuPairs = new ArrayList<>();
      for (int r = 0; r < rounds; r++) {
        cPairs.add(callback.get(r) / hand.get(r));
        fPairs.add(future.get(r) / hand.get(r));
        cCpuPairs.add(callbackCpu.get(r) / handCpu.get(r));
        fCpuPairs.add(futureCpu.get(r) / handCpu.get(r));
      }
      Stats cp = Stats.of(cPairs);
      Stats fp = Stats.of(fPairs);
      Stats ccp = Stats.of(cCpuPairs);
      Stats fcp = Stats.of(fCpuPairs);
      double mb = size / 1_000_000.0;
      s.row(
          size + " B",
          Stats.fmt(records, 0),
          rounds,
          h.medianRange(0),
          c.medianRange(0),
          f.medianRange(0),
          Stats.fmt(h.median() * mb, 1),
          Stats.fmt(c.median() * mb, 1),
          cp.medianRange(3),
          fp.medianRange(3),
          Stats.fmt(Stats.of(handCpu).median(), 0)
              + " / "
              + Stats.fmt(Stats.of(callbackCpu).median(), 0)
              + " / "
              + Stats.fmt(Stats.of(futureCpu).median(), 0),
          Stats.fmt(Stats.of(handIo).median(), 0)
              + " / "
              + Stats.fmt(Stats.of(callbackIo).median(), 0)
              + " / "
              + Stats.fmt(Stats.of(futureIo).median(), 0),
          ccp.medianRange(3),
          fcp.medianRange(3));
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("recordBytes", size);
      o.put("records", records);
      o.put("handWiredRecordsPerSecond", h.toMap());
      o.put("mskProducerCallbackRecordsPerSecond", c.toMap());
      o.put("mskProducerFutureRecordsPerSecond", f.toMap());
      o.put("ratio", Stats.round(cp.median()));
      o.put("callbackPairedRatio", cp.toMap());
      o.put("futurePairedRatio", fp.toMap());
      o.put("handWiredCpuNanosPerRecord", Stats.of(handCpu).toMap());
      o.put("mskProducerCallbackCpuNanosPerRecord", Stats.of(callbackCpu).toMap());
      o.put("mskProducerFutureCpuNanosPerRecord", Stats.of(futureCpu).toMap());
      o.put("handWiredIoThreadCpuNanosPerRecord", Stats.of(handIo).toMap());
      o.put("mskProducerCallbackIoThreadCpuNanosPerRecord", Stats.of(callbackIo).toMap());
      o.put("mskProducerFutureIoThreadCpuNanosPerRecord", Stats.of(futureIo).toMap());
      o.put("callbackCpuPairedRatio", ccp.toMap());
      o.put("futureCpuPairedRatio", fcp.toMap());
      json.add(o);
    }
    return s.put("results", json);
  }

  /** About 2 s of sending at what this machine does, at each size. */
  private static int records(Bench b, int size) {
    return b.size(size == 100 ? 1_000_000 : size == 1024 ? 250_000 : 40_000, 2_000);
  }

  // The CPU time per record of the last run (the sending thread and Kafka's I/O thread).
  private static double lastCpuNanosPerRecord;
  // Of which Kafka's I/O thread.
  private static double lastIoNanosPerRecord;

  private static double handWired(Bench b, int size, int records) throws Exception {
    byte[][] values = PAYLOADS.computeIfAbsent(size, n -> Producers.payloads(n, 4096));
    try (KafkaProducer<byte[], byte[]> p = Producers.handWired(b.target(), Map.of("client.id", "bench-hand"))) {
      p.send(new ProducerRecord<>(TOPIC, values[0])).get(60, TimeUnit.SECONDS);
      Tally tally = new Tally();
      ClientCpu cpu = ClientCpu.start("bench-hand");
      long t0 = System.nanoTime();
      for (int i = 0; i < records; i++) {
        p.send(
            new ProducerRecord<>(TOPIC, values[i & 4095]),
            (md, e) -> tally.outcome(e));
      }
      p.flush();
      long t1 = System.nanoTime();
      lastCpuNanosPerRecord = cpu.elapsed() / (double) records;
      lastIoNanosPerRecord = cpu.ioElapsed() / (double) records;
      tally.expect("hand-wired run", records);
      return records / ((t1 - t0) / 1e9);
    }
  }

  private static double sdk(Bench b, int size, int records, boolean callback) throws Exception {
    byte[][] values = PAYLOADS.computeIfAbsent(size, n -> Producers.payloads(n, 4096));
    try (MskProducer<byte[], byte[]> p = Producers.sdk(b.target(), c -> c.clientId("bench-sdk"))) {
      p.send(TOPIC, values[0]).get(60, TimeUnit.SECONDS);
      p.flush(Duration.ZERO);
      Tally tally = new Tally();
      ClientCpu cpu = ClientCpu.start("bench-sdk");
      long t0 = System.nanoTime();
      if (callback) {
        for (int i = 0; i < records; i++) {
          p.send(
              new ProducerRecord<>(TOPIC, values[i & 4095]),
              (md, e) -> tally.outcome(e));
        }
      } else {
        for (int i = 0; i < records; i++) {
          p.send(TOPIC, values[i & 4095]);
        }
      }
      FlushResult<byte[], byte[]> f = p.flush(Duration.ofMinutes(5));
      long t1 = System.nanoTime();
      lastCpuNanosPerRecord = cpu.elapsed() / (double) records;
      lastIoNanosPerRecord = cpu.ioElapsed() / (double) records;
      if (!f.isComplete() || f.acknowledged() != records) {
        throw new IllegalStateException("msk-producer run: " + f);
      }
      if (callback) {
        tally.expect("msk-producer run, callbacks", records);
      }
      return records / ((t1 - t0) / 1e9);
    }
  }
}
