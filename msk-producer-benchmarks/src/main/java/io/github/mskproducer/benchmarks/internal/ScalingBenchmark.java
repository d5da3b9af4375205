package io.github.mskproducer.benchmarks.internal;

import io.github.mskproducer.core.FlushResult;
import io.github.mskproducer.core.MskProducer;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Benchmark 9: how the cost grows with load, hand-wired versus msk-producer, both with {@code
 * send(record, callback)}: sender threads on one producer, partitions of the topic, and heap
 * per record in flight while the broker is frozen.
 */
public final class ScalingBenchmark {
  private static final int SIZE = 100;
  private static final String HEAP_TOPIC = "bench-scaling-heap";

  private ScalingBenchmark() {}

  /** One side of a comparison: sends {@code records} from {@code threads} threads, keyed or not. */
  private interface Side {
    double run(Bench b, String topic, int records, int threads, boolean keyed) throws Exception;
  }

  /**
   * Runs it.
   *
   * @param b the bench
   * @return the section
   * @throws Exception if a run fails
   */
  public static Section run(Bench b) throws Exception {
    // Each run takes well under a second: rounds are cheap, and pairs here spread from 0.6 to 1.3.
    int rounds = b.size(Integer.getInteger("bench.scaling.rounds", 11), 1);
    Section s =
        new Section("scaling", "9. Scaling: sender threads, partitions, records in flight")
            .text(
                "How the cost grows with load. Same settings as table 1 (acks=all, idempotence,"
                    + " lz4, linger 10 ms, 64 KiB batches), records of "
                    + SIZE
                    + " B, both sides with `send(record, callback)`: hand-wired `KafkaProducer`"
                    + " with aws-msk-iam-auth, msk-producer `MskProducer.send(record, callback)`,"
                    + " ended with `flush`. Each run builds a fresh producer, sends one record to"
                    + " connect, then starts the clock. Runs alternate A/B, B/A; ratio ="
                    + " msk-producer / hand-wired, median of the paired ratios (min to max). The"
                    + " goal is at least 0.98 everywhere. On two cores shared with the broker,"
                    + " records per second swing by 2x from run to run; the CPU columns are"
                    + " steadier: the CPU time of the client's own threads (the sender threads"
                    + " and Kafka's I/O thread, from `ThreadMXBean`) per record, from the first"
                    + " send to the flush's return. Lower is cheaper: a CPU ratio of 1.02 is"
                    + " a 2% cost.")
            .knobs("bench.scaling.");
    Map<String, Object> json = new LinkedHashMap<>();
    // Threads: one producer, a topic of 3 partitions, values without key.
    b.msk().createTopic("bench-scaling-threads", 3);
    s.table(
        "9a. Sender threads on one producer (topic of 3 partitions, values without key)",
        "threads",
        "records per run",
        "hand-wired records/s, median (min to max)",
        "msk-producer records/s, median (min to max)",
        "median of paired ratios (min to max)",
        "hand-wired CPU ns per record, median (min to max)",
        "msk-producer CPU ns per record, median (min to max)",
        "CPU: median of paired ratios (min to max)");
    List<Object> threadsJson = new ArrayList<>();
    for (int threads : knob("bench.scaling.threads", "1,4,16")) {
      int records = b.size(800_000, 2_000);
      threadsJson.add(compare(b, s, "bench-scaling-threads", records, threads, false, rounds, threads + ""));
    }
    json.put("threads", threadsJson);
    // Partitions: keyed records (10,000 keys) spread over every partition.
    s.table(
        "9b. Partitions of the topic (one sender thread, keyed records over 10,000 keys, so every partition gets batches)",
        "partitions",
        "records per run",
        "hand-wired records/s, median (min to max)",
        "msk-producer records/s, median (min to max)",
        "median of paired ratios (min to max)",
        "hand-wired CPU ns per record, median (min to max)",
        "msk-producer CPU ns per record, median (min to max)",
        "CPU: median of paired ratios (min to max)");
    List<Object> partitionsJson = new ArrayList<>();
    for (int partitions : knob("bench.scaling.partitions", "3,30,300")) {
      String topic = "bench-scaling-p" + partitions;
      b.msk().createTopic(topic, partitions);
      everyPartitionWritable(b, topic, partitions);
      int records = b.size(600_000, 2_000);
      partitionsJson.add(compare(b, s, topic, records, 1, true, rounds, partitions + ""));
    }
    json.put("partitions", partitionsJson);
    // Heap per record in flight.
    b.msk().createTopic(HEAP_TOPIC, 3);
    s.table(
        "9c. Heap per record in flight: the broker frozen (SIGSTOP) after the first record, N records sent (100 B values without key, a callback each), heap in use after a full GC minus before, divided by N; then the broker thawed and every record acknowledged. Kafka's `buffer.memory` set to 1 GiB on both sides so that nothing blocks. msk-producer keeps each record until its outcome, to hand it back in `flush`'s report (pending, or failed with its cause) and to retry it; Kafka drops the `ProducerRecord` once serialized. The second column is hand-wired code that does the same, with a callback that keeps its record (what code that retries or reports a failed record has to hold); the extra bytes compare msk-producer with it",
        "records in flight",
        "hand-wired, bytes per record",
        "hand-wired, callback keeping its record, bytes per record",
        "msk-producer, bytes per record",
        "msk-producer, extra bytes per record over a callback keeping its record",
        "msk-producer with a future per record (`send(record)`), bytes per record");
    List<Object> heapJson = new ArrayList<>();
    int[] inFlight = {b.size(100_000, 1_000), b.size(1_000_000, 5_000)};
    for (int n : Boolean.parseBoolean(System.getProperty("bench.scaling.heap", "true")) ? inFlight : new int[0]) {
      double hand = heapHandWired(b, n, false);
      double handKeeping = heapHandWired(b, n, true);
      double sdk = heapSdk(b, n, false);
      double sdkFuture = heapSdk(b, n, true);
      b.progress(
          "scaling heap %d in flight: hand-wired %.0f B, keeping records %.0f B, msk-producer %.0f B, with futures %.0f B",
          n, hand, handKeeping, sdk, sdkFuture);
      s.row(
          Stats.fmt(n, 0),
          Stats.fmt(hand, 0),
          Stats.fmt(handKeeping, 0),
          Stats.fmt(sdk, 0),
          Stats.fmt(sdk - handKeeping, 0),
          Stats.fmt(sdkFuture, 0));
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("records", n);
      o.put("handWiredBytesPerRecord", Stats.round(hand));
      o.put("handWiredKeepingRecordBytesPerRecord", Stats.round(handKeeping));
      o.put("mskProducerBytesPerRecord", Stats.round(sdk));
      o.put("mskProducerFutureBytesPerRecord", Stats.round(sdkFuture));
      heapJson.add(o);
    }
    json.put("heap", heapJson);
    return s.put("results", json);
  }

  /**
   * For profiling by hand, e.g. {@code -Dbench.scaling.threads=4 -Dbench.scaling.partitions=
   * -Dbench.scaling.heap=false -Dbench.scaling.rounds=21}: the cases of a table (empty: none).
   */
  private static int[] knob(String property, String cases) {
    String v = System.getProperty(property, cases).trim();
    return v.isEmpty()
        ? new int[0]
        : java.util.Arrays.stream(v.split(",")).mapToInt(x -> Integer.parseInt(x.trim())).toArray();
  }

  private static Map<String, Object> compare(
      Bench b, Section s, String topic, int records, int threads, boolean keyed, int rounds, String label)
      throws Exception {
    if (!b.smoke()) {
      handWired(b, topic, records / 4, threads, keyed);
      sdk(b, topic, records / 4, threads, keyed);
    }
    List<Double> hand = new ArrayList<>();
    List<Double> sdk = new ArrayList<>();
    List<Double> handCpu = new ArrayList<>();
    List<Double> sdkCpu = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      if (r % 2 == 0) {
        hand.add(handWired(b, topic, records, threads, keyed));
        handCpu.add(lastCpuNanosPerRecord);
        sdk.add(sdk(b, topic, records, threads, keyed));
        sdkCpu.add(lastCpuNanosPerRecord);
      } else {
        sdk.add(sdk(b, topic, records, threads, keyed));
        sdkCpu.add(lastCpuNanosPerRecord);
        hand.add(handWired(b, topic, records, threads, keyed));
        handCpu.add(lastCpuNanosPerRecord);
      }
      b.progress(
          "scaling %s %s round %d: hand-wired %.0f/s (%.0f ns CPU per record), msk-producer %.0f/s (%.0f ns)",
          topic, label, r + 1, hand.get(r), handCpu.get(r), sdk.get(r), sdkCpu.get(r));
    }
    List<Double> pairs = new ArrayList<>();
    List<Double> cpuPairs = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      pairs.add(sdk.get(r) / hand.get(r));
      cpuPairs.add(sdkCpu.get(r) / handCpu.get(r));
    }
    Stats h = Stats.of(hand);
    Stats m = Stats.of(sdk);
    Stats p = Stats.of(pairs);
    Stats hc = Stats.of(handCpu);
    Stats mc = Stats.of(sdkCpu);
    Stats pc = Stats.of(cpuPairs);
    s.row(
        label,
        Stats.fmt(records, 0),
        h.medianRange(0),
        m.medianRange(0),
        p.medianRange(3),
        hc.medianRange(0),
        mc.medianRange(0),
        pc.medianRange(3));
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("case", label);
    o.put("records", records);
    o.put("handWiredRecordsPerSecond", h.toMap());
    o.put("mskProducerRecordsPerSecond", m.toMap());
    o.put("pairedRatio", p.toMap());
    o.put("handWiredCpuNanosPerRecord", hc.toMap());
    o.put("mskProducerCpuNanosPerRecord", mc.toMap());
    o.put("cpuPairedRatio", pc.toMap());
    return o;
  }

  // The CPU time per record of the last timed run: its sender threads and Kafka's I/O thread.
  private static double lastCpuNanosPerRecord;

  /**
   * Sends {@code records} over {@code threads} threads; returns records/s to the last ack, and
   * leaves the CPU time per record in {@link #lastCpuNanosPerRecord}.
   */
  private static double timed(
      String clientId, int records, int threads, java.util.function.IntConsumer sendOne, Runnable flush)
      throws Exception {
    java.util.concurrent.atomic.AtomicLong senderCpu = new java.util.concurrent.atomic.AtomicLong();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> senders = new ArrayList<>();
    AtomicReference<Throwable> crashed = new AtomicReference<>();
    int each = records / threads;
    for (int t = 0; t < threads; t++) {
      int from = t * each;
      Thread th =
          new Thread(
              () -> {
                try {
                  start.await();
                  long c0 = ClientCpu.currentThread();
                  for (int i = from; i < from + each; i++) {
                    sendOne.accept(i);
                  }
                  senderCpu.addAndGet(ClientCpu.currentThread() - c0);
                } catch (Throwable e) {
                  crashed.compareAndSet(null, e);
                }
              },
              "bench-sender-" + t);
      senders.add(th);
      th.start();
    }
    ClientCpu client = ClientCpu.start(clientId); // its I/O thread, and this one's flush
    long t0 = System.nanoTime();
    start.countDown();
    for (Thread th : senders) {
      th.join();
    }
    flush.run();
    long t1 = System.nanoTime();
    lastCpuNanosPerRecord = (senderCpu.get() + client.elapsed()) / (double) (each * threads);
    if (crashed.get() != null) {
      throw new IllegalStateException("a sender thread failed", crashed.get());
    }
    return (double) each * threads / ((t1 - t0) / 1e9);
  }

  /**
   * Waits until every partition of a new topic takes a record: a local broker elects the leaders
   * of 300 partitions over seconds, and a record for one without a leader would wait for it.
   */
  private static void everyPartitionWritable(Bench b, String topic, int partitions) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    try (KafkaProducer<byte[], byte[]> p =
        Producers.handWired(b.target(), Map.of("client.id", "bench-scale-warm", "delivery.timeout.ms", "20000", "request.timeout.ms", "10000"))) {
      for (int partition = 0; partition < partitions; partition++) {
        while (true) {
          try {
            p.send(new ProducerRecord<>(topic, partition, null, new byte[1])).get(30, TimeUnit.SECONDS);
            break;
          } catch (java.util.concurrent.ExecutionException e) {
            if (System.nanoTime() > end) {
              throw new IllegalStateException("partition " + partition + " of " + topic + " takes no record", e);
            }
            Thread.sleep(200);
          }
        }
      }
    }
  }

  private static final byte[][] KEYS = keys();

  private static byte[][] keys() {
    byte[][] k = new byte[10_000][];
    for (int i = 0; i < k.length; i++) {
      k[i] = ("customer-" + i).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
    return k;
  }

  private static double handWired(Bench b, String topic, int records, int threads, boolean keyed) throws Exception {
    byte[][] values = Producers.payloads(SIZE, 4096);
    try (KafkaProducer<byte[], byte[]> p = Producers.handWired(b.target(), Map.of("client.id", "bench-scale-hand"))) {
      p.send(new ProducerRecord<>(topic, values[0])).get(60, TimeUnit.SECONDS);
      Tally tally = new Tally();
      double rate =
          timed(
              "bench-scale-hand",
              records,
              threads,
              i ->
                  p.send(
                      new ProducerRecord<>(topic, keyed ? KEYS[i % KEYS.length] : null, values[i & 4095]),
                      (md, e) -> tally.outcome(e)),
              p::flush);
      long expected = (long) (records / threads) * threads;
      tally.expect("hand-wired run", expected);
      return rate;
    }
  }

  private static double sdk(Bench b, String topic, int records, int threads, boolean keyed) throws Exception {
    byte[][] values = Producers.payloads(SIZE, 4096);
    try (MskProducer<byte[], byte[]> p = Producers.sdk(b.target(), c -> c.clientId("bench-scale-sdk"))) {
      p.send(topic, values[0]).get(60, TimeUnit.SECONDS);
      p.flush(Duration.ZERO);
      Tally tally = new Tally();
      FlushResult<?, ?>[] last = new FlushResult<?, ?>[1];
      double rate =
          timed(
              "bench-scale-sdk",
              records,
              threads,
              i ->
                  p.send(
                      new ProducerRecord<>(topic, keyed ? KEYS[i % KEYS.length] : null, values[i & 4095]),
                      (md, e) -> tally.outcome(e)),
              () -> last[0] = p.flush(Duration.ofMinutes(5)));
      long expected = (long) (records / threads) * threads;
      tally.expect("msk-producer run", expected);
      if (!last[0].isComplete() || last[0].acknowledged() != expected) {
        throw new IllegalStateException("msk-producer run: " + last[0]);
      }
      return rate;
    }
  }

  // ------------------------------------------------------------------ heap per record in flight

  private static final Map<String, String> BIG_BUFFER =
      Map.of(
          "buffer.memory", String.valueOf(1L << 30),
          "max.block.ms", "120000",
          "request.timeout.ms", "300000",
          "delivery.timeout.ms", "600000");

  private static long heapInUse() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static double heapHandWired(Bench b, int n, boolean keepRecord) throws Exception {
    byte[][] values = Producers.payloads(SIZE, 4096);
    Map<String, String> props = new LinkedHashMap<>(BIG_BUFFER);
    props.put("client.id", "bench-heap-hand");
    try (KafkaProducer<byte[], byte[]> p = Producers.handWired(b.target(), props)) {
      p.send(new ProducerRecord<>(HEAP_TOPIC, values[0])).get(60, TimeUnit.SECONDS);
      AtomicLong acked = new AtomicLong();
      java.util.Queue<ProducerRecord<byte[], byte[]>> failed = new java.util.concurrent.ConcurrentLinkedQueue<>();
      b.target().signalBroker("STOP");
      double perRecord;
      try {
        long before = heapInUse();
        for (int i = 0; i < n; i++) {
          ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(HEAP_TOPIC, values[i & 4095]);
          if (keepRecord) {
            p.send(r, (md, e) -> {
              if (e == null) {
                acked.incrementAndGet();
              } else {
                failed.add(r); // what a retry or a report needs
              }
            });
          } else {
            p.send(r, (md, e) -> {
              if (e == null) {
                acked.incrementAndGet();
              }
            });
          }
        }
        perRecord = (heapInUse() - before) / (double) n;
      } finally {
        b.target().signalBroker("CONT");
      }
      p.flush();
      if (acked.get() != n) {
        throw new IllegalStateException("hand-wired heap run: " + acked.get() + " of " + n + " acknowledged");
      }
      return perRecord;
    }
  }

  private static double heapSdk(Bench b, int n, boolean futures) throws Exception {
    byte[][] values = Producers.payloads(SIZE, 4096);
    try (MskProducer<byte[], byte[]> p =
        Producers.sdk(
            b.target(),
            c -> {
              c.clientId(futures ? "bench-heap-sdk-f" : "bench-heap-sdk");
              c.property("buffer.memory", BIG_BUFFER.get("buffer.memory"))
                  .timeouts(
                      t ->
                          t.maxBlock(Duration.ofMinutes(2))
                              .request(Duration.ofMinutes(5))
                              .delivery(Duration.ofMinutes(10)));
            })) {
      p.send(HEAP_TOPIC, values[0]).get(60, TimeUnit.SECONDS);
      p.flush(Duration.ZERO);
      AtomicLong acked = new AtomicLong();
      List<Object> held = futures ? new ArrayList<>(n) : null;
      b.target().signalBroker("STOP");
      double perRecord;
      try {
        long before = heapInUse();
        for (int i = 0; i < n; i++) {
          ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(HEAP_TOPIC, values[i & 4095]);
          if (futures) {
            held.add(p.send(r)); // what a caller who keeps its futures holds
          } else {
            p.send(r, (md, e) -> {
              if (e == null) {
                acked.incrementAndGet();
              }
            });
          }
        }
        perRecord = (heapInUse() - before) / (double) n;
      } finally {
        b.target().signalBroker("CONT");
      }
      FlushResult<byte[], byte[]> f = p.flush(Duration.ofMinutes(5));
      if (!f.isComplete() || f.acknowledged() != n || (!futures && acked.get() != n)) {
        throw new IllegalStateException("msk-producer heap run: " + f);
      }
      return perRecord;
    }
  }
}
