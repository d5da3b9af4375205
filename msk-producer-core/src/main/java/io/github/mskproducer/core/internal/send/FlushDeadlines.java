package io.github.mskproducer.core.internal.send;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A producer's timer for flush deadlines: one daemon thread, made on the first deadline, that
 * interrupts a flush still running at its deadline (see {@link DeadlineInterrupt}).
 *
 * <p>Made for the end of every Lambda invocation, where a flush takes well under a millisecond
 * and its deadline is seconds away: arming one wakes the thread only if it sleeps past the new
 * deadline or without one. Flushes in a row (deadlines later than the one the thread sleeps
 * until) arm with an uncontended lock and a list append; a general-purpose scheduler would wake
 * its thread for each (the new task is the earliest) and take it out of its queue at each cancel.
 * The thread checks every deadline it holds when it wakes, forgets those that ended, and sleeps
 * until the earliest left; with none left, until the latest deadline armed so far, and after
 * that until told: a producer that stops flushing costs one more wake-up, then none.
 */
public final class FlushDeadlines implements AutoCloseable {
  private final String threadName;
  private final Object lock = new Object();
  private final List<DeadlineInterrupt> armed = new ArrayList<>(); // under lock
  private int pruneAt = 16; // under lock: the size at which arm() drops the ended ones
  private boolean sleepsUntilTold = true; // under lock
  private long wakesAt; // under lock, unless sleepsUntilTold
  private long latestDeadline; // under lock: the latest deadline armed so far
  private Thread thread; // under lock, made on first use
  private boolean closed; // under lock
  private long scans; // under lock: how often the thread looked at its deadlines (for tests)

  /**
   * @param threadName the name of its thread
   */
  public FlushDeadlines(String threadName) {
    this.threadName = threadName;
  }

  /**
   * Arms an interrupt of the calling thread at the deadline; {@link DeadlineInterrupt#disarm()}
   * it once the call ends.
   *
   * @param deadlineNanos when, in {@link System#nanoTime()}'s terms
   * @return the interrupt, or null if this timer is closed (the producer is closing)
   */
  public DeadlineInterrupt arm(long deadlineNanos) {
    DeadlineInterrupt interrupt = new DeadlineInterrupt(deadlineNanos);
    synchronized (lock) {
      if (closed) {
        return null;
      }
      if (thread == null || deadlineNanos - latestDeadline > 0) {
        latestDeadline = deadlineNanos;
      }
      if (armed.size() >= pruneAt) {
        armed.removeIf(DeadlineInterrupt::done);
        pruneAt = Math.max(16, 2 * armed.size());
      }
      if (thread == null) {
        Thread t = new Thread(this::run, threadName);
        t.setDaemon(true);
        sleepsUntilTold = false;
        wakesAt = deadlineNanos;
        t.start(); // if it throws (no thread to be had), the next arm() tries again
        thread = t;
      } else if (sleepsUntilTold || deadlineNanos - wakesAt < 0) {
        sleepsUntilTold = false;
        wakesAt = deadlineNanos;
        lock.notifyAll();
      }
      armed.add(interrupt); // the thread reads it once this lock is released
    }
    return interrupt;
  }

  /** How many interrupts it holds now, ended or not (for tests of its bound). */
  int held() {
    synchronized (lock) {
      return armed.size();
    }
  }

  /** How often its thread woke to look at its deadlines (for tests of how rarely). */
  long scans() {
    synchronized (lock) {
      return scans;
    }
  }

  /** Stops the thread; interrupts armed before and not yet fired never fire. Idempotent. */
  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      armed.clear();
      lock.notifyAll();
    }
  }

  private void run() {
    try {
      waitForDeadlines();
    } finally {
      synchronized (lock) {
        if (thread == Thread.currentThread()) {
          thread = null; // ended by an Error: the next arm() starts another
        }
      }
    }
  }

  private void waitForDeadlines() {
    synchronized (lock) {
      while (!closed) {
        scans++;
        long now = System.nanoTime();
        boolean any = false;
        long next = 0;
        for (Iterator<DeadlineInterrupt> it = armed.iterator(); it.hasNext(); ) {
          DeadlineInterrupt i = it.next();
          if (i.done()) {
            it.remove();
          } else if (i.deadlineNanos() - now <= 0) {
            i.run();
            it.remove();
          } else if (!any || i.deadlineNanos() - next < 0) {
            next = i.deadlineNanos();
            any = true;
          }
        }
        if (!any && latestDeadline - now > 0) {
          // Nothing armed, but flushes came lately: sleep until the latest deadline seen, so
          // that the next ones (deadlines later still) arm without waking this thread. A flush
          // often ends before this thread, woken for it, gets here.
          next = latestDeadline;
          any = true;
        }
        try {
          if (any) {
            sleepsUntilTold = false;
            wakesAt = next;
            TimeUnit.NANOSECONDS.timedWait(lock, next - now);
          } else {
            sleepsUntilTold = true;
            lock.wait();
          }
        } catch (InterruptedException e) {
          // nobody should; close() is what ends this thread
        }
      }
    }
  }
}
