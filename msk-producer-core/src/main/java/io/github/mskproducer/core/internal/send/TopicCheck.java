package io.github.mskproducer.core.internal.send;

import io.github.mskproducer.core.internal.Causes;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.InterruptException;

/**
 * Makes a send to a topic the cluster does not have fail soon, naming the topic, instead of
 * after the whole max-block time (Kafka's producer keeps asking for the metadata of an unknown
 * topic until then, without saying why).
 *
 * <p>The first sends to a topic whose metadata the producer has not had yet run Kafka's {@code
 * send} on a worker thread while the caller waits (so serializers and interceptors run there
 * for those sends). If that has not returned after {@link #checkAfter} (a quarter of the max
 * block, at most 1 s: metadata for an existing topic comes in milliseconds on a live connection)
 * and the producer has authenticated, one check per topic asks the cluster whether it exists;
 * if the cluster says no twice, {@link #confirmAfter} apart (a cluster that creates topics on
 * first use has had its chance), the waiting sends are interrupted and fail with {@link
 * TopicNotFoundException}. Interrupting Kafka's wait for metadata leaves nothing in the buffer,
 * so those records are known not to be sent ({@code MissingTopicIT} checks it with each
 * kafka-clients version). Once a send to a topic got into the buffer the topic is known and its
 * sends run on the caller's thread as before. Threads and the probe (an admin client) exist only
 * while needed.
 */
public final class TopicCheck implements AutoCloseable {
  /** Asks the cluster whether a topic exists. */
  public interface Probe extends AutoCloseable {
    /**
     * @return true if it exists, false if the cluster says it does not, null without a clear
     *     answer within the timeout
     */
    Boolean exists(String topic, Duration timeout) throws InterruptedException;

    @Override
    void close();
  }

  private final Set<String> known = ConcurrentHashMap.newKeySet();
  private final ConcurrentHashMap<String, Check> checks = new ConcurrentHashMap<>();
  private final Supplier<Probe> probes;
  private final BooleanSupplier authenticated;
  private final Duration maxBlock;
  private final Duration checkAfter;
  private final Duration confirmAfter;
  private final String threadName;
  private final Object lock = new Object();
  private ExecutorService workers; // under lock, made on first use
  private ScheduledExecutorService timer; // under lock, made on first use
  private Probe probe; // under lock, open while a check runs
  private int running; // under lock: checks asking the cluster now
  private boolean closed; // under lock

  /**
   * @param probes makes a probe for the producer's cluster
   * @param authenticated whether the producer's connections have authenticated (a check waits
   *     for it: before that, slow metadata says nothing about the topic)
   * @param maxBlock the producer's max-block time: no check outlives it
   * @param threadName the name of the threads
   */
  public TopicCheck(
      Supplier<Probe> probes, BooleanSupplier authenticated, Duration maxBlock, String threadName) {
    this.probes = probes;
    this.authenticated = authenticated;
    this.maxBlock = maxBlock;
    this.checkAfter = min(Duration.ofSeconds(1), maxBlock.dividedBy(4));
    this.confirmAfter = min(Duration.ofMillis(500), maxBlock.dividedBy(8));
    this.threadName = threadName;
  }

  // The first topic known: most producers send to one, and a comparison is cheaper than the
  // set's lookup on every send (a flight recording found the lookup at several per cent of the
  // caller's time). Written once.
  private volatile String first;

  /** The producer's max-block time, as given. */
  Duration maxBlock() {
    return maxBlock;
  }

  /** Whether sends to this topic got into the buffer before: then they need no check. */
  public boolean isKnown(String topic) {
    String f = first;
    return f != null && (f == topic || f.equals(topic)) || known.contains(topic);
  }

  /** Records that the producer has this topic's metadata. */
  public void known(String topic) {
    known.add(topic);
    if (first == null) {
      first = topic;
    }
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
      running = workers().submit(attempt);
    } catch (RejectedExecutionException closing) {
      return attempt.callHere(); // the producer is closing: Kafka's own call says so
    }
    Check check = register(topic, attempt);
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
        check.done(attempt);
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    return attempt.outcome(topic);
  }

  /** Stops the threads and the probe; sends after this run on the caller's thread. */
  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      if (workers != null) {
        workers.shutdownNow();
      }
      if (timer != null) {
        timer.shutdownNow();
      }
      closeProbe();
    }
  }

  private ExecutorService workers() {
    synchronized (lock) {
      if (closed) {
        throw new RejectedExecutionException("closed");
      }
      if (workers == null) {
        workers = Executors.newCachedThreadPool(daemon(threadName));
        timer = Executors.newSingleThreadScheduledExecutor(daemon(threadName + "-timer"));
      }
      return workers;
    }
  }

  /** Joins the topic's check, making and scheduling it if there is none; null if closing. */
  private Check register(String topic, Attempt<?> attempt) {
    while (true) {
      Check check = checks.computeIfAbsent(topic, Check::new);
      if (check.join(attempt)) {
        if (check.scheduled.compareAndSet(0, 1)) {
          try {
            synchronized (lock) {
              timer.schedule(
                  () -> submitCheck(check), checkAfter.toMillis(), TimeUnit.MILLISECONDS);
            }
          } catch (RejectedExecutionException closing) {
            return check;
          }
        }
        return check;
      }
      checks.remove(topic, check); // it ended just now: make a new one
    }
  }

  private void submitCheck(Check check) {
    try {
      workers().execute(check::run);
    } catch (RejectedExecutionException closing) {
      // no check after close
    }
  }

  private Probe openProbe() {
    synchronized (lock) {
      if (closed) {
        return null;
      }
      if (probe == null) {
        probe = probes.get();
      }
      running++;
      return probe;
    }
  }

  private void releaseProbe() {
    synchronized (lock) {
      if (--running == 0) {
        closeProbe(); // an idle admin client would still refresh metadata every few minutes
      }
    }
  }

  private void closeProbe() {
    if (probe != null) {
      try {
        probe.close();
      } catch (RuntimeException e) {
        // closing anyway
      }
      probe = null;
    }
  }

  /** One topic's check, shared by the sends waiting for its metadata. */
  private final class Check {
    final String topic;
    final long deadline = System.nanoTime() + maxBlock.toNanos();
    final AtomicInteger scheduled = new AtomicInteger();
    private final Set<Attempt<?>> waiting = ConcurrentHashMap.newKeySet();
    private boolean over; // under this

    Check(String topic) {
      this.topic = topic;
    }

    synchronized boolean join(Attempt<?> attempt) {
      if (over) {
        return false;
      }
      waiting.add(attempt);
      return true;
    }

    synchronized void done(Attempt<?> attempt) {
      waiting.remove(attempt);
      if (waiting.isEmpty()) {
        end();
      }
    }

    private synchronized boolean hasWaiting() {
      return !over && !waiting.isEmpty();
    }

    private synchronized void end() {
      over = true;
      checks.remove(topic, this);
    }

    void run() {
      try {
        // Before the producer authenticated, slow metadata says nothing about the topic.
        while (!authenticated.getAsBoolean()) {
          if (!hasWaiting() || System.nanoTime() > deadline) {
            return;
          }
          Thread.sleep(100);
        }
        if (!hasWaiting()) {
          // The sends got their metadata before the check was due: no admin client, no
          // connection (each costs MSK an IAM authentication).
          return;
        }
        Probe p = openProbe();
        if (p == null) {
          return;
        }
        try {
          for (int round = 0; round < 2; round++) {
            if (round > 0) {
              Thread.sleep(confirmAfter.toMillis());
            }
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0 || !hasWaiting()) {
              return;
            }
            Boolean exists = p.exists(topic, Duration.ofMillis(left));
            if (exists == null || exists) {
              return; // it exists, or no clear answer: Kafka's own wait decides
            }
          }
        } finally {
          releaseProbe();
        }
        missing();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        // no answer from the cluster: Kafka's own wait decides, as without this check
      }
    }

    private void missing() {
      Set<Attempt<?>> toFail;
      synchronized (this) {
        toFail = Set.copyOf(waiting);
        end();
      }
      toFail.forEach(a -> a.interrupt(true));
    }
  }

  /** One call on a worker, and who may interrupt it. */
  static final class Attempt<T> implements Runnable {
    private static final int RUNNING = 0;
    private static final int DONE = 1;
    private static final int INTERRUPTING = 2;
    private static final int INTERRUPTED = 3;

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
      if (missingTopic && interruptedWait(t)) {
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

    /** Only a wait our interrupt ended means "missing topic"; any other failure is its own. */
    private static boolean interruptedWait(Throwable t) {
      return Causes.anyIs(t, InterruptException.class, InterruptedException.class);
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
