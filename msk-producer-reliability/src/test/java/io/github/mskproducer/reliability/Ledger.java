package io.github.mskproducer.reliability;

import io.github.mskproducer.core.MskProducer;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * What a scenario sent and what the producer told it: each record carries a unique id in its
 * value ({@code <run>:<id>:...}), and the ledger keeps which ids were acknowledged and which
 * were reported failed (by a future or by {@code send} itself), and a histogram of the
 * acknowledgement latencies. {@link Arrivals} then reads what really arrived. Its memory does
 * not grow with the records (one bit each), so scenario 9 can measure the producer's heap.
 */
final class Ledger {
  /** Latency buckets: 1% wide, from 1 us to over 100 s. */
  private static final double BUCKET_GROWTH = Math.log(1.01);
  private static final int BUCKETS = 2_000;

  private final String run;
  private final String padding;
  private final AtomicLong next = new AtomicLong();
  private final BitSet acknowledged = new BitSet();
  private final Map<Long, Throwable> failed = new HashMap<>();
  /** Outcomes reported for an id that already had one: must stay 0. */
  private long secondOutcomes;
  private final AtomicLongArray latencyBuckets = new AtomicLongArray(BUCKETS);
  /** The same, since {@link #newPhase()}: e.g. one broker's restart. */
  private volatile AtomicLongArray phaseBuckets = new AtomicLongArray(BUCKETS);
  /** The longest time from a send to its failure's report, in nanoseconds. */
  private final AtomicLong longestFailureNanos = new AtomicLong();
  /** Acknowledgements per partition (partitions 0 to 1023). */
  private final AtomicLongArray ackedPerPartition = new AtomicLongArray(1024);

  /**
   * @param scenario a short name, part of each value
   * @param valueBytes the approximate size of each value
   */
  Ledger(String scenario, int valueBytes) {
    this.run = scenario + "-" + Long.toString(System.nanoTime(), 36);
    this.padding = "x".repeat(Math.max(0, valueBytes - run.length() - 12));
  }

  String run() {
    return run;
  }

  /** Sends the next id; a failure thrown by {@code send} itself is recorded as reported. */
  CompletableFuture<RecordMetadata> send(MskProducer<String, String> producer, String topic) {
    long id = next.getAndIncrement();
    String value = run + ":" + id + ":" + padding;
    long t0 = System.nanoTime();
    CompletableFuture<RecordMetadata> f;
    try {
      f = producer.send(topic, "k" + (id % 64), value);
    } catch (RuntimeException e) {
      outcome(id, e);
      return CompletableFuture.failedFuture(e);
    }
    f.whenComplete(
        (m, e) -> {
          if (e == null) {
            long micros = Math.max(1, (System.nanoTime() - t0) / 1000);
            int bucket = Math.min(BUCKETS - 1, (int) (Math.log(micros) / BUCKET_GROWTH));
            latencyBuckets.incrementAndGet(bucket);
            phaseBuckets.incrementAndGet(bucket);
            ackedPerPartition.incrementAndGet(Math.min(1023, m.partition()));
          } else {
            longestFailureNanos.accumulateAndGet(System.nanoTime() - t0, Math::max);
          }
          outcome(id, e);
        });
    return f;
  }

  private synchronized void outcome(long id, Throwable failure) {
    int i = Math.toIntExact(id);
    if (acknowledged.get(i) || failed.containsKey(id)) {
      secondOutcomes++;
    } else if (failure == null) {
      acknowledged.set(i);
    } else {
      failed.put(id, failure);
    }
  }

  long sent() {
    return next.get();
  }

  synchronized Set<Long> acknowledged() {
    return acknowledged.stream().mapToObj(i -> (long) i).collect(Collectors.toSet());
  }

  synchronized Map<Long, Throwable> failed() {
    return Map.copyOf(failed);
  }

  synchronized long secondOutcomes() {
    return secondOutcomes;
  }

  /** The longest time from a send to the report of its failure, in milliseconds. */
  long longestFailureMillis() {
    return longestFailureNanos.get() / 1_000_000;
  }

  /** Starts a new phase for {@link #phaseLatencyMillis}. */
  void newPhase() {
    phaseBuckets = new AtomicLongArray(BUCKETS);
  }

  /** Like {@link #latencyMillis} for the acknowledgements since {@link #newPhase()}. */
  double phaseLatencyMillis(double p) {
    return percentile(phaseBuckets, p);
  }

  /** Acknowledgements of records that went to {@code partition}, so far. */
  long acknowledgedOn(int partition) {
    return ackedPerPartition.get(partition);
  }

  /** The acknowledgement latency at percentile {@code p} (0-100], in milliseconds (1% buckets). */
  double latencyMillis(double p) {
    return percentile(latencyBuckets, p);
  }

  private static double percentile(AtomicLongArray latencyBuckets, double p) {
    long total = 0;
    for (int b = 0; b < BUCKETS; b++) {
      total += latencyBuckets.get(b);
    }
    if (total == 0) {
      return Double.NaN;
    }
    long rank = (long) Math.ceil(p / 100.0 * total);
    long seen = 0;
    for (int b = 0; b < BUCKETS; b++) {
      seen += latencyBuckets.get(b);
      if (seen >= rank) {
        return Math.exp((b + 1) * BUCKET_GROWTH) / 1000.0; // the bucket's upper bound
      }
    }
    return Double.NaN;
  }

  /** The innermost cause's simple class name, e.g. NotEnoughReplicasException. */
  static String rootCause(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c.getClass().getSimpleName();
  }

  static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }
}
