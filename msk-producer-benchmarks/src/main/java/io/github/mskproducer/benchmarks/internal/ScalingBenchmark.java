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
    int rounds = b.size(5, 1);
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
                    + " goal is at least 0.98 everywhere.");
    Map<String, Object> json = new LinkedHashMap<>();
    // Threads: one producer, a topic of 3 partitions, values without key.
    b.msk().createTopic("bench-scaling-threads", 3);
    s.table(
        "9a. Sender threads on one producer (topic of 3 partitions, values without key)",
        "threads",
        "records per run",
        "hand-wired records/s, median (min to max)",
        "msk-producer records/s, median (min to max)",
        "median of paired ratios (min to max)");
    List<Object> threadsJson = new ArrayList<>();
    for (int threads : new int[] {1, 4, 16}) {
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
        "median of paired ratios (min to max)");
    List<Object> partitionsJson = new ArrayList<>();
    for (int partitions : new int[] {3, 30, 300}) {
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
        "9c. Heap per record in flight: the broker frozen (SIGSTOP) after the first record, N records sent (100 B values without key, a callback each), heap in use after a full GC minus before, divided by N; then the broker thawed and every record acknowledged. Kafka's `buffer.memory` set to 1 GiB on both sides so that nothing blocks",
        "records in flight",
        "hand-wired, bytes per record",
        "msk-producer, bytes per record",
        "msk-producer, extra bytes per record",
        "msk-producer with a future per record (`send(record)`), bytes per record");
    List<Object> heapJson = new ArrayList<>();
    for (int n : new int[] {b.size(100_000, 1_000), b.size(1_000_000, 5_000)}) {
      double hand = heapHandWired(b, n);
      double sdk = heapSdk(b, n, false);
      double sdkFuture = heapSdk(b, n, true);
      b.progress("scaling heap %d in flight: hand-wired %.0f B, msk-producer %.0f B, with futures %.0f B", n, hand, sdk, sdkFuture);
      s.row(Stats.fmt(n, 0), Stats.fmt(hand, 0), Stats.fmt(sdk, 0), Stats.fmt(sdk - hand, 0), Stats.fmt(sdkFuture, 0));
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("records", n);
      o.put("handWiredBytesPerRecord", Stats.round(hand));
      o.put("mskProducerBytesPerRecord", Stats.round(sdk));
      o.put("mskProducerFutureBytesPerRecord", Stats.round(sdkFuture));
      heapJson.add(o);
    }
    json.put("heap", heapJson);
    return s.put("results", json);
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
    for (int r = 0; r < rounds; r++) {
      if (r % 2 == 0) {
        hand.add(handWired(b, topic, records, threads, keyed));
        sdk.add(sdk(b, topic, records, threads, keyed));
      } else {
        sdk.add(sdk(b, topic, records, threads, keyed));
        hand.add(handWired(b, topic, records, threads, keyed));
      }
      b.progress("scaling %s %s round %d: hand-wired %.0f/s, msk-producer %.0f/s", topic, label, r + 1, hand.get(r), sdk.get(r));
    }
    List<Double> pairs = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      pairs.add(sdk.get(r) / hand.get(r));
    }
    Stats h = Stats.of(hand);
    Stats m = Stats.of(sdk);
    Stats p = Stats.of(pairs);
    s.row(label, Stats.fmt(records, 0), h.medianRange(0), m.medianRange(0), p.medianRange(3));
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("case", label);
    o.put("records", records);
    o.put("handWiredRecordsPerSecond", h.toMap());
    o.put("mskProducerRecordsPerSecond", m.toMap());
    o.put("pairedRatio", p.toMap());
    return o;
  }

  /** Sends {@code records} over {@code threads} threads; returns records/s to the last ack. */
  private static double timed(int records, int threads, java.util.function.IntConsumer sendOne, Runnable flush)
      throws Exception {
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
                  for (int i = from; i < from + each; i++) {
                    sendOne.accept(i);
                  }
                } catch (Throwable e) {
                  crashed.compareAndSet(null, e);
                }
              },
              "bench-sender-" + t);
      senders.add(th);
      th.start();
    }
    long t0 = System.nanoTime();
    start.countDown();
    for (Thread th : senders) {
      th.join();
    }
    flush.run();
    long t1 = System.nanoTime();
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

  private static double heapHandWired(Bench b, int n) throws Exception {
    byte[][] values = Producers.payloads(SIZE, 4096);
    Map<String, String> props = new LinkedHashMap<>(BIG_BUFFER);
    props.put("client.id", "bench-heap-hand");
    try (KafkaProducer<byte[], byte[]> p = Producers.handWired(b.target(), props)) {
      p.send(new ProducerRecord<>(HEAP_TOPIC, values[0])).get(60, TimeUnit.SECONDS);
      AtomicLong acked = new AtomicLong();
      b.target().signalBroker("STOP");
      double perRecord;
      try {
        long before = heapInUse();
        for (int i = 0; i < n; i++) {
          p.send(new ProducerRecord<>(HEAP_TOPIC, values[i & 4095]), (md, e) -> {
            if (e == null) {
              acked.incrementAndGet();
            }
          });
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
