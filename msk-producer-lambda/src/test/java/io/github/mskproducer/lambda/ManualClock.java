package io.github.mskproducer.lambda;

import io.github.mskproducer.lambda.internal.Clock2;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A monotonic clock the test moves by hand (as a freeze would); the wall clock is real. */
final class ManualClock implements Clock2 {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  @Override
  public long nanoTime() {
    return nanos.get();
  }

  @Override
  public long currentTimeMillis() {
    return System.currentTimeMillis();
  }
}
