package io.github.mskproducer.lambda;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * Counters of a {@link LambdaProducer} since it was built, for this execution environment.
 * Immutable snapshot.
 */
public final class LambdaProducerStats {
  private final long invocations;
  private final long acknowledged;
  private final long failed;
  private final long pending;
  private final Map<RecycleReason, Long> recycles;
  private final Duration lastFlush;
  private final Duration maxFlush;

  LambdaProducerStats(
      long invocations,
      long acknowledged,
      long failed,
      long pending,
      Map<RecycleReason, Long> recycles,
      Duration lastFlush,
      Duration maxFlush) {
    this.invocations = invocations;
    this.acknowledged = acknowledged;
    this.failed = failed;
    this.pending = pending;
    this.recycles = recycles.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(recycles));
    this.lastFlush = lastFlush;
    this.maxFlush = maxFlush;
  }

  /**
   * Invocations run.
   *
   * @return the count
   */
  public long invocations() {
    return invocations;
  }

  /**
   * Records acknowledged.
   *
   * @return the count
   */
  public long acknowledged() {
    return acknowledged;
  }

  /**
   * Records that failed.
   *
   * @return the count
   */
  public long failed() {
    return failed;
  }

  /**
   * Records still pending when their invocation ended (their delivery is unknown).
   *
   * @return the count
   */
  public long pending() {
    return pending;
  }

  /**
   * Fresh producers built, by reason.
   *
   * @return reason to count
   */
  public Map<RecycleReason, Long> recycles() {
    return recycles;
  }

  /**
   * How long the last end-of-invocation flush took.
   *
   * @return the duration
   */
  public Duration lastFlush() {
    return lastFlush;
  }

  /**
   * The longest end-of-invocation flush.
   *
   * @return the duration
   */
  public Duration maxFlush() {
    return maxFlush;
  }

  @Override
  public String toString() {
    return "LambdaProducerStats{invocations="
        + invocations
        + ", acknowledged="
        + acknowledged
        + ", failed="
        + failed
        + ", pending="
        + pending
        + ", recycles="
        + recycles
        + ", lastFlush="
        + lastFlush.toMillis()
        + "ms, maxFlush="
        + maxFlush.toMillis()
        + "ms}";
  }
}
