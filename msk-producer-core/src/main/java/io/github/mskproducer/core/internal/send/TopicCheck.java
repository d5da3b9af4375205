package io.github.mskproducer.core.internal.send;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Makes a send to a topic that does not exist fail within about a second and a half, naming the
 * topic, instead of after the whole max-block time (Kafka's producer keeps asking for the
 * metadata of an unknown topic until then, without saying why).
 *
 * <p>The first sends to a topic whose metadata the producer has not had yet run Kafka's {@code
 * send} on a worker thread while the caller waits. If that has not returned after {@link
 * #CHECK_AFTER} (metadata for an existing topic comes in milliseconds on a live connection,
 * so a healthy producer never gets there), an admin client asks the cluster whether the topic
 * exists; if it says no twice, {@link #CONFIRM_AFTER} apart (a cluster that creates topics on
 * first use has had its chance), the worker is interrupted and the send fails with {@link
 * TopicNotFoundException}. Interrupting Kafka's wait for metadata leaves nothing in the buffer, so
 * the record is known not to be sent. Once a send to a topic got into the buffer the topic is
 * known, and its sends run on the caller's thread as before.
 */
public final class TopicCheck {
  static final Duration CHECK_AFTER = Duration.ofSeconds(1);
  static final Duration CONFIRM_AFTER = Duration.ofMillis(500);

  private final Set<String> known = ConcurrentHashMap.newKeySet();
  private final Supplier<Admin> admins;
  private final Duration maxBlock;
  private final ExecutorService workers;
  private final ScheduledExecutorService scheduler;

  /**
   * @param admins makes an admin client for the producer's cluster (closed after each check)
   * @param maxBlock the producer's max-block time: no check outlives it
   * @param workers runs the waiting sends and the checks (daemon threads)
   * @param scheduler starts the checks
   */
  public TopicCheck(
      Supplier<Admin> admins,
      Duration maxBlock,
      ExecutorService workers,
      ScheduledExecutorService scheduler) {
    this.admins = admins;
    this.maxBlock = maxBlock;
    this.workers = workers;
    this.scheduler = scheduler;
  }

  /** Whether sends to this topic got into the buffer before: then they need no check. */
  public boolean isKnown(String topic) {
    return known.contains(topic);
  }

  /** Records that the producer has this topic's metadata. */
  public void known(String topic) {
    known.add(topic);
  }

  /**
   * Runs {@code call}, which may block in Kafka until the topic's metadata is there, on a worker,
   * and waits for it; fails it with {@link TopicNotFoundException} if the topic does not exist.
   * The caller marks the topic {@link #known} once the call showed its metadata is there.
   *
   * @throws TopicNotFoundException if the cluster said twice that the topic does not exist
   * @throws RuntimeException whatever {@code call} threw otherwise
   */
  public <T> T run(String topic, Callable<T> call) {
    Attempt<T> attempt = new Attempt<>(call);
    Future<?> running;
    try {
      running = workers.submit(attempt);
    } catch (RejectedExecutionException closing) {
      return attempt.callHere(); // the producer is closing: Kafka's own call says so
    }
    ScheduledFuture<?> check;
    try {
      check =
          scheduler.schedule(
              () -> workers.execute(() -> check(topic, attempt)),
              CHECK_AFTER.toMillis(),
              TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closing) {
      check = null;
    }
    boolean interrupted = false;
    try {
      while (true) {
        try {
          running.get();
          break;
        } catch (InterruptedException e) {
          // Kafka's send would have thrown on an interrupted caller: let it, on the worker.
          interrupted = true;
          attempt.interrupt(false);
        } catch (ExecutionException e) {
          break; // the attempt holds the outcome
        }
      }
    } finally {
      if (check != null) {
        check.cancel(false);
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    return attempt.outcome(topic);
  }

  private void check(String topic, Attempt<?> attempt) {
    long deadline = attempt.started + maxBlock.toNanos();
    Admin admin = null;
    try {
      for (int round = 0; round < 2; round++) {
        if (attempt.isDone()) {
          return;
        }
        if (round > 0) {
          Thread.sleep(CONFIRM_AFTER.toMillis());
        }
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0 || attempt.isDone()) {
          return;
        }
        if (admin == null) {
          admin = admins.get();
        }
        if (exists(admin, topic, left)) {
          return;
        }
      }
      attempt.interrupt(true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // no answer from the cluster: Kafka's own wait decides, as without this check
    } finally {
      if (admin != null) {
        admin.close(Duration.ZERO);
      }
    }
  }

  /** True if it exists or the answer is not a clear "unknown topic". */
  private static boolean exists(Admin admin, String topic, long timeoutMs) throws InterruptedException {
    int timeout = (int) Math.min(Integer.MAX_VALUE, timeoutMs);
    try {
      admin
          .describeTopics(List.of(topic), new DescribeTopicsOptions().timeoutMs(timeout))
          .allTopicNames()
          .get(timeoutMs, TimeUnit.MILLISECONDS);
      return true;
    } catch (ExecutionException e) {
      return !(e.getCause() instanceof UnknownTopicOrPartitionException);
    } catch (TimeoutException e) {
      return true;
    }
  }

  /** One call on a worker, and who may interrupt it. */
  private static final class Attempt<T> implements Runnable {
    private static final int RUNNING = 0;
    private static final int DONE = 1;
    private static final int INTERRUPTING = 2;
    private static final int INTERRUPTED = 3;

    final long started = System.nanoTime();
    private final Callable<T> call;
    private final AtomicInteger state = new AtomicInteger(RUNNING);
    private volatile Thread worker;
    private volatile boolean missingTopic;
    private volatile T result;
    private volatile Throwable failure;

    Attempt(Callable<T> call) {
      this.call = call;
    }

    @Override
    public void run() {
      worker = Thread.currentThread();
      try {
        result = call.call();
      } catch (Throwable t) {
        failure = t;
      } finally {
        if (!state.compareAndSet(RUNNING, DONE)) {
          while (state.get() == INTERRUPTING) {
            Thread.onSpinWait();
          }
        }
        Thread.interrupted(); // a pooled thread goes back clean
        worker = null;
      }
    }

    T callHere() {
      try {
        return call.call();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    boolean isDone() {
      return state.get() != RUNNING;
    }

    /** Interrupts the call if it still runs; {@code forMissingTopic} says why. */
    void interrupt(boolean forMissingTopic) {
      Thread w = worker;
      if (w == null || !state.compareAndSet(RUNNING, INTERRUPTING)) {
        return;
      }
      missingTopic = forMissingTopic;
      w.interrupt();
      state.set(INTERRUPTED);
    }

    T outcome(String topic) {
      Throwable t = failure;
      if (t == null) {
        return result;
      }
      if (missingTopic) {
        throw new TopicNotFoundException(topic);
      }
      if (t instanceof RuntimeException) {
        throw (RuntimeException) t;
      }
      if (t instanceof Error) {
        throw (Error) t;
      }
      throw new IllegalStateException(t);
    }
  }
}
