package io.github.mskproducer.reliability;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition rather than for a fixed time: shared machines are slow at random. */
final class Await {
  private Await() {}

  /**
   * Polls {@code condition} every 50 ms until it holds.
   *
   * @return how long it took, in milliseconds
   * @throws AssertionError naming {@code what} if it did not hold within {@code timeout}
   */
  static long until(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
    long t0 = System.nanoTime();
    long end = t0 + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not within " + timeout + ": " + what);
      }
      Thread.sleep(50);
    }
    return (System.nanoTime() - t0) / 1_000_000;
  }
}
