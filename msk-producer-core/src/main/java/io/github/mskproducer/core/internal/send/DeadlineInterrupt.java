package io.github.mskproducer.core.internal.send;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ends a blocking call that has no deadline of its own (Kafka's {@code flush()}) by interrupting
 * the thread that runs it, once, if the call is still running at its deadline. Armed by {@link
 * FlushDeadlines#arm(long)}, whose thread runs it at the deadline.
 *
 * <p>{@link #disarm()} after the call says whether the interrupt came from here, and then clears
 * it, waiting for a timer that has begun to interrupt to finish: the caller's thread is never
 * left interrupted by us. An interrupt from anyone else while the call ran, with the timer not
 * fired, is left as it is; one that came in the same instant as ours is cleared with it.
 */
public final class DeadlineInterrupt implements Runnable {
  private static final int ARMED = 0;
  private static final int FIRING = 1;
  private static final int FIRED = 2;
  private static final int DISARMED = 3;

  private final Thread thread;
  private final long deadlineNanos;
  private final AtomicInteger state = new AtomicInteger(ARMED);

  /**
   * Armed for the calling thread.
   *
   * @param deadlineNanos when, in {@link System#nanoTime()}'s terms
   */
  public DeadlineInterrupt(long deadlineNanos) {
    this.thread = Thread.currentThread();
    this.deadlineNanos = deadlineNanos;
  }

  /** The timer: interrupts the thread if the call has not ended yet. */
  @Override
  public void run() {
    if (state.compareAndSet(ARMED, FIRING)) {
      try {
        thread.interrupt();
      } finally {
        state.set(FIRED); // disarm() waits for it
      }
    }
  }

  /**
   * Called by the thread once the call ended, normally or not: from now on the timer does
   * nothing.
   *
   * @return true if the timer interrupted the call (the thread's interrupt is cleared again)
   */
  public boolean disarm() {
    if (Thread.currentThread() != thread) {
      throw new IllegalStateException("disarm() is for the thread the interrupt was armed for");
    }
    if (state.compareAndSet(ARMED, DISARMED)) {
      return false;
    }
    while (state.get() != FIRED) {
      Thread.onSpinWait(); // the timer is between its compare-and-set and its interrupt
    }
    Thread.interrupted();
    return true;
  }

  long deadlineNanos() {
    return deadlineNanos;
  }

  /** Whether it fired or was disarmed: the timer can forget it. */
  boolean done() {
    return state.get() != ARMED;
  }
}
