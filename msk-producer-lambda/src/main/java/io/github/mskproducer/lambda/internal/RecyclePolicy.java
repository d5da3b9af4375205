package io.github.mskproducer.lambda.internal;

import io.github.mskproducer.lambda.RecycleReason;
import java.time.Duration;

/**
 * Whether the Kafka producer must be recycled before an invocation, from the clock alone: a
 * gap since the previous invocation longer than the thaw threshold (a freeze that may have
 * cost the connections), or a producer older than the maximum age. Pure: times in nanoseconds
 * from one monotonic clock.
 */
public final class RecyclePolicy {
  private final long thawNanos;
  private final long maxAgeNanos;

  public RecyclePolicy(Duration thawThreshold, Duration maxAge) {
    this.thawNanos = thawThreshold.toNanos();
    this.maxAgeNanos = maxAge.toNanos();
  }

  /**
   * @param now now
   * @param lastEnd when the previous invocation ended, or negative before the first
   * @param created when the current producer was made
   * @return the reason to recycle, or null
   */
  public RecycleReason due(long now, long lastEnd, long created) {
    if (lastEnd >= 0 && now - lastEnd > thawNanos) {
      return RecycleReason.THAW;
    }
    if (now - created > maxAgeNanos) {
      return RecycleReason.MAX_AGE;
    }
    return null;
  }
}
