package io.github.mskproducer.core.internal.send;

import io.github.mskproducer.core.RetryPolicy;
import io.github.resilience4j.core.IntervalFunction;

/** The waits of a {@link RetryPolicy}, as resilience4j computes them: for sends and restarts. */
public final class Backoff {
  private Backoff() {}

  /** Attempt n (from 1) waits {@code apply(n)} ms before attempt n + 1. */
  public static IntervalFunction of(RetryPolicy policy) {
    return policy.jitter() == 0
        ? IntervalFunction.ofExponentialBackoff(
            policy.initialBackoff(), policy.multiplier(), policy.maxBackoff())
        : IntervalFunction.ofExponentialRandomBackoff(
            policy.initialBackoff(), policy.multiplier(), policy.jitter(), policy.maxBackoff());
  }
}
