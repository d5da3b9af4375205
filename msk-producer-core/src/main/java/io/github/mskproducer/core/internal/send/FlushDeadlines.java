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
 * until the earliest left, or until told.
 */
public final class FlushDeadlines implements AutoCloseable {
  private final String threadName;
  private final Object lock = new Object();
  private final List<DeadlineInterrupt> armed = new ArrayList<>(); // under lock
  private int pruneAt = 16; // under lock: the size at which arm() drops the ended ones
  private boolean sleepsUntilTold = true; // under lock
  private long wakesAt; // under lock, unless sleepsUntilTold
  private Thread thread; // under lock, made on first use
  private boolean closed; // under lock

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
      if (armed.size() >= pruneAt) {
        armed.removeIf(DeadlineInterrupt::done);
        pruneAt = Math.max(16, 2 * armed.size());
      }
      armed.add(interrupt);
      if (thread == null) {
        thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        sleepsUntilTold = false;
        wakesAt = deadlineNanos;
        thread.start();
      } else if (sleepsUntilTold || deadlineNanos - wakesAt < 0) {
        sleepsUntilTold = false;
        wakesAt = deadlineNanos;
        lock.notifyAll();
      }
    }
    return interrupt;
  }

  /** How many interrupts it holds now, ended or not (for tests of its bound). */
  int held() {
    synchronized (lock) {
      return armed.size();
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
    synchronized (lock) {
      while (!closed) {
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
