package io.github.mskproducer.lambda.internal;

/** The clocks the Lambda producer reads, replaceable in tests. */
public interface Clock2 {
  /** The monotonic clock; Lambda advances it across a freeze as it does the wall clock. */
  long nanoTime();

  /** The wall clock, in epoch milliseconds. */
  long currentTimeMillis();

  Clock2 SYSTEM =
      new Clock2() {
        @Override
        public long nanoTime() {
          return System.nanoTime();
        }

        @Override
        public long currentTimeMillis() {
          return System.currentTimeMillis();
        }
      };
}
