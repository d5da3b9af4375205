package io.github.mskproducer.benchmarks.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** What the per-record callbacks of a run heard: acknowledgements, and the first failure. */
final class Tally {
  private final AtomicLong acked = new AtomicLong();
  private final AtomicReference<Exception> error = new AtomicReference<>();

  /** One record's outcome: null for an acknowledgement. */
  void outcome(Exception e) {
    if (e != null) {
      error.compareAndSet(null, e);
    } else {
      acked.incrementAndGet();
    }
  }

  long acked() {
    return acked.get();
  }

  /** Throws unless exactly {@code expected} records were acknowledged and none failed. */
  void expect(String run, long expected) {
    if (error.get() != null || acked.get() != expected) {
      throw new IllegalStateException(run + ": " + acked.get() + " of " + expected + " acknowledged", error.get());
    }
  }
}
