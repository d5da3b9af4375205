package io.github.mskproducer.examples.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * What a run of sends observed: acknowledgements with their latency (send to acknowledgement,
 * in an HdrHistogram at microsecond resolution), failures with their distinct messages, bytes.
 * Thread-safe: producer callbacks record into it.
 */
public final class RunStats {
  private static final int MAX_DISTINCT_ERRORS = 5;

  private final Histogram latencyMicros = new ConcurrentHistogram(TimeUnit.MINUTES.toMicros(30), 3);
  private final AtomicLong acknowledged = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final Map<String, Long> errors = new LinkedHashMap<>();
  private final long startNanos = System.nanoTime();
  private volatile long endNanos;

  /**
   * Records an acknowledgement.
   *
   * @param latencyNanos from the send call to the acknowledgement
   * @param size the record's value size in bytes
   */
  public void acknowledged(long latencyNanos, int size) {
    latencyMicros.recordValue(Math.min(latencyMicros.getHighestTrackableValue(), Math.max(0, latencyNanos / 1000)));
    bytes.addAndGet(size);
    acknowledged.incrementAndGet();
  }

  /**
   * Records a failure.
   *
   * @param cause why the record was not acknowledged
   */
  public void failed(Throwable cause) {
    failed.incrementAndGet();
    String message = cause.getClass().getSimpleName() + ": " + cause.getMessage();
    synchronized (errors) {
      if (errors.containsKey(message) || errors.size() < MAX_DISTINCT_ERRORS) {
        errors.merge(message, 1L, Long::sum);
      }
    }
  }

  /**
   * The number acknowledged so far.
   *
   * @return the count
   */
  public long acknowledged() {
    return acknowledged.get();
  }

  /**
   * The number failed so far.
   *
   * @return the count
   */
  public long failed() {
    return failed.get();
  }

  /** Marks the end of the sending (the last acknowledgement or the flush deadline). */
  public void stop() {
    if (endNanos == 0) {
      endNanos = System.nanoTime();
    }
  }

  /**
   * The summary of the run.
   *
   * @param sent records handed to the producer
   * @param pending records neither acknowledged nor failed at the end
   * @param readBack records read back by a consumer, or null when not read back
   * @return the summary
   */
  public Summary summary(long sent, long pending, Long readBack) {
    long end = endNanos == 0 ? System.nanoTime() : endNanos;
    double seconds = Math.max(1e-6, (end - startNanos) / 1e9);
    List<String> distinct = new ArrayList<>();
    synchronized (errors) {
      errors.forEach((m, n) -> distinct.add(n + " x " + m));
    }
    boolean any = latencyMicros.getTotalCount() > 0;
    return new Summary(
        sent,
        acknowledged.get(),
        failed.get(),
        pending,
        readBack,
        seconds,
        acknowledged.get() / seconds,
        bytes.get() / seconds / (1024 * 1024),
        any ? latencyMicros.getValueAtPercentile(50) / 1000.0 : 0,
        any ? latencyMicros.getValueAtPercentile(99) / 1000.0 : 0,
        any ? latencyMicros.getMaxValue() / 1000.0 : 0,
        distinct);
  }
}
