package io.github.mskproducer.core;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Retries of what Kafka does not retry itself: a {@code send} that fails before the record
 * reaches the producer's buffer with a cause that may pass (topic metadata not available in
 * time; {@code Too many connects} while a fresh producer bootstraps). Waits grow exponentially
 * with random jitter. A retry starts only within {@link #maxElapsed()} of the first attempt (by
 * default {@link Timeouts#maxBlock()}: a send never takes longer than the producer may block,
 * so a metadata wait that used all of it is not repeated; raise it to retry those too). The
 * first attempt's time is read where a send may wait (the producer's start, a topic's first
 * metadata), not on every send: a send to a known topic that fails inside Kafka after a wait
 * shorter than max block (e.g. a stale authentication failure) counts its budget from the
 * failure, so its retries may start up to that wait later.
 * Failures that cannot succeed (authorization, a record too large, serialization) are never
 * retried, and once a record is in the buffer Kafka alone retries it, within {@link
 * Timeouts#delivery()}. Immutable.
 */
public final class RetryPolicy {
  private static final RetryPolicy DEFAULTS = builder().build();
  private static final RetryPolicy NONE = builder().maxAttempts(1).build();

  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final double multiplier;
  private final double jitter;
  private final Duration maxElapsed;

  private RetryPolicy(Builder b) {
    this.maxAttempts = b.maxAttempts;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.multiplier = b.multiplier;
    this.jitter = b.jitter;
    this.maxElapsed = b.maxElapsed;
  }

  /**
   * 3 attempts, 1 s growing by 2 up to 10 s, jitter 0.5.
   *
   * @return the default policy
   */
  public static RetryPolicy defaults() {
    return DEFAULTS;
  }

  /**
   * One attempt: no retry.
   *
   * @return the policy
   */
  public static RetryPolicy none() {
    return NONE;
  }

  /**
   * A builder starting from the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Attempts in all, the first included.
   *
   * @return at least 1
   */
  public int maxAttempts() {
    return maxAttempts;
  }

  /**
   * The wait before the second attempt.
   *
   * @return the initial back-off
   */
  public Duration initialBackoff() {
    return initialBackoff;
  }

  /**
   * The longest wait between attempts.
   *
   * @return the maximum back-off
   */
  public Duration maxBackoff() {
    return maxBackoff;
  }

  /**
   * The factor by which the wait grows.
   *
   * @return at least 1
   */
  public double multiplier() {
    return multiplier;
  }

  /**
   * The random spread of each wait, as a fraction of it (0.5: between half and one and a half
   * times).
   *
   * @return 0 to 1
   */
  public double jitter() {
    return jitter;
  }

  /**
   * How long after the first attempt a retry may still start.
   *
   * @return the limit, or empty for the producer's {@link Timeouts#maxBlock()}
   */
  public Optional<Duration> maxElapsed() {
    return Optional.ofNullable(maxElapsed);
  }

  /**
   * A builder starting from this policy.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.maxAttempts = maxAttempts;
    b.initialBackoff = initialBackoff;
    b.maxBackoff = maxBackoff;
    b.multiplier = multiplier;
    b.jitter = jitter;
    b.maxElapsed = maxElapsed;
    return b;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof RetryPolicy)) {
      return false;
    }
    RetryPolicy r = (RetryPolicy) o;
    return maxAttempts == r.maxAttempts
        && initialBackoff.equals(r.initialBackoff)
        && maxBackoff.equals(r.maxBackoff)
        && Double.compare(multiplier, r.multiplier) == 0
        && Double.compare(jitter, r.jitter) == 0
        && Objects.equals(maxElapsed, r.maxElapsed);
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxAttempts, initialBackoff, maxBackoff, multiplier, jitter, maxElapsed);
  }

  @Override
  public String toString() {
    return "RetryPolicy{maxAttempts="
        + maxAttempts
        + ", initialBackoff="
        + initialBackoff
        + ", maxBackoff="
        + maxBackoff
        + ", multiplier="
        + multiplier
        + ", jitter="
        + jitter
        + (maxElapsed == null ? "" : ", maxElapsed=" + maxElapsed)
        + "}";
  }

  /** Sets the policy; setters check their argument. */
  public static final class Builder {
    private int maxAttempts = 3;
    private Duration initialBackoff = Duration.ofSeconds(1);
    private Duration maxBackoff = Duration.ofSeconds(10);
    private double multiplier = 2.0;
    private double jitter = 0.5;
    private Duration maxElapsed;

    private Builder() {}

    /**
     * Attempts in all, the first included. Default 3; 1 means no retry.
     *
     * @param maxAttempts 1 to 100
     * @return this builder
     */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1 || maxAttempts > 100) {
        throw new MskConfigurationException(
            "retry.maxAttempts", "retry.maxAttempts must be 1 to 100, was " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * The wait before the second attempt. Default 1 s.
     *
     * @param initialBackoff positive
     * @return this builder
     */
    public Builder initialBackoff(Duration initialBackoff) {
      this.initialBackoff = Timeouts.Builder.check("retry.initialBackoff", initialBackoff);
      return this;
    }

    /**
     * The longest wait between attempts. Default 10 s.
     *
     * @param maxBackoff positive, at least the initial back-off
     * @return this builder
     */
    public Builder maxBackoff(Duration maxBackoff) {
      this.maxBackoff = Timeouts.Builder.check("retry.maxBackoff", maxBackoff);
      return this;
    }

    /**
     * The factor by which the wait grows. Default 2.
     *
     * @param multiplier 1 to 10
     * @return this builder
     */
    public Builder multiplier(double multiplier) {
      if (!(multiplier >= 1 && multiplier <= 10)) {
        throw new MskConfigurationException(
            "retry.multiplier", "retry.multiplier must be 1 to 10, was " + multiplier);
      }
      this.multiplier = multiplier;
      return this;
    }

    /**
     * The random spread of each wait. Default 0.5.
     *
     * @param jitter 0 (none) to 1 (below 1: resilience4j's randomization factor)
     * @return this builder
     */
    public Builder jitter(double jitter) {
      if (!(jitter >= 0 && jitter < 1)) {
        throw new MskConfigurationException(
            "retry.jitter", "retry.jitter must be at least 0 and below 1, was " + jitter);
      }
      this.jitter = jitter;
      return this;
    }

    /**
     * How long after the first attempt a retry may still start. Default: the producer's {@link
     * Timeouts#maxBlock()}.
     *
     * @param maxElapsed positive
     * @return this builder
     */
    public Builder maxElapsed(Duration maxElapsed) {
      this.maxElapsed = Timeouts.Builder.check("retry.maxElapsed", maxElapsed);
      return this;
    }

    /**
     * The policy.
     *
     * @return an immutable policy
     * @throws MskConfigurationException if maxBackoff is below initialBackoff
     */
    public RetryPolicy build() {
      Objects.requireNonNull(initialBackoff);
      if (maxBackoff.compareTo(initialBackoff) < 0) {
        throw new MskConfigurationException(
            "retry.maxBackoff",
            "retry.maxBackoff ("
                + maxBackoff
                + ") must be at least retry.initialBackoff ("
                + initialBackoff
                + ")");
      }
      return new RetryPolicy(this);
    }
  }
}
