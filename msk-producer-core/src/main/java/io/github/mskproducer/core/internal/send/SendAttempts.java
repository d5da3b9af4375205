package io.github.mskproducer.core.internal.send;

import io.github.mskproducer.core.internal.Causes;
import io.github.mskproducer.core.RetryPolicy;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.function.Supplier;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Sends a record, with resilience4j-retry around what Kafka does not retry: a failure inside
 * {@code send}, before the record reached the buffer, with a cause that may pass (metadata not
 * there in time, {@code Too many connects}), and only while the first attempt is less than
 * max-block old. The first attempt runs on the caller's thread (so {@code send} blocks as
 * Kafka's does) with the record's own object ({@link Attempt}) as Kafka's callback and nothing else, except for the first sends to
 * a topic this producer has no metadata for yet, which {@link TopicCheck} runs on a worker while
 * the caller waits; only a failure before the buffer brings in resilience4j, for the later
 * attempts, on the retry scheduler.
 */
public final class SendAttempts<K, V> {
  /** Hears each retry: the record, the attempt that failed, the wait, the cause. */
  public interface RetryListener {
    void onRetry(ProducerRecord<?, ?> record, int attempt, Duration wait, Throwable cause);
  }

  /** Hears a record's outcome, once: metadata, or the failure. */
  public interface Outcome {
    void done(RecordMetadata metadata, Throwable failure);
  }

  private final Producer<K, V> kafka;
  private final TopicCheck topics;
  private final Duration budget;
  private final boolean retryMissingTopics;
  private final ScheduledExecutorService scheduler;
  private final RetryListener listener;
  private final IntervalFunction backoff;
  private final int maxAttempts;
  private volatile Retry later; // made on the first retry: resilience4j stays off the cold path
  private final boolean retries;
  private final Supplier<UnaryOperator<Runnable>> capture;
  private final java.util.function.BooleanSupplier authenticatedBefore;

  /**
   * @param capture called on the caller's thread for each record: what runs the record's Kafka
   *     send in the caller's context on another thread; null if nothing is to be carried
   */
  public SendAttempts(
      Producer<K, V> kafka,
      TopicCheck topics,
      RetryPolicy policy,
      Duration budget,
      boolean retryMissingTopics,
      ScheduledExecutorService scheduler,
      RetryListener listener,
      Supplier<UnaryOperator<Runnable>> capture,
      java.util.function.BooleanSupplier authenticatedBefore) {
    this.kafka = kafka;
    this.authenticatedBefore = authenticatedBefore;
    this.capture = capture;
    this.topics = topics;
    this.budget = budget;
    this.retryMissingTopics = retryMissingTopics;
    this.scheduler = scheduler;
    this.listener = listener;
    this.maxAttempts = policy.maxAttempts();
    this.backoff = Backoff.of(policy);
    this.retries = maxAttempts > 1;
  }

  /**
   * Sends with retries; the attempt hears the acknowledgement or what the last attempt failed
   * with, exactly once, possibly before this returns.
   */
  public void send(Attempt<K, V> attempt) {
    attempt.run(this);
  }

  /** Whether a failure of {@link #send} happened before the record reached the buffer. */
  public static boolean failedBeforeBuffer(Throwable failure) {
    return Causes.anyIs(failure, PreBufferFailure.class);
  }

  /**
   * A record's first attempt and Kafka's callback for it. The producer's per-record object
   * extends it, so that a record costs the caller one object and Kafka's I/O thread touches one;
   * what only the first attempt needs (the producer, the caller's context, the record as sent)
   * stays in locals of {@link #run} rather than in fields of every record in flight (48 bytes
   * per record with the subclass's, against 64 with them).
   */
  public abstract static class Attempt<K, V> implements Callback, Outcome {
    /** The record; the subclass may clear it once the record has an outcome. */
    protected ProducerRecord<K, V> record;
    /**
     * When the first attempt began, {@link System#nanoTime()}; 0 until someone needs it. Not
     * read on every send (a clock read is about 25 ns, some 4% of a 100-byte record's CPU): the
     * subclass takes it for a listener's latency, {@link #run} for a topic's first sends (which
     * may wait for metadata), and a failure before the buffer estimates it then ({@link
     * #startOf}).
     */
    protected long start;
    /**
     * While Kafka's send runs for this record: the thread in it (the caller's, a {@link
     * TopicCheck} worker's for a topic not known yet, or Kafka's I/O thread when a callback
     * sends). A failure Kafka reports from inside send (the record did not get in) replaces it,
     * for that thread to handle once send returns. Null otherwise. Written by that thread only;
     * any other thread reads it only to see that it is not its own.
     */
    private Object inside;

    protected Attempt(ProducerRecord<K, V> record) {
      this.record = record;
    }

    void run(SendAttempts<K, V> via) {
      ProducerRecord<K, V> r = record; // done() may clear the field once Kafka answers
      String topic = r.topic();
      Supplier<UnaryOperator<Runnable>> capture = via.capture;
      UnaryOperator<Runnable> context;
      try {
        context = capture == null ? null : capture.get();
      } catch (RuntimeException | LinkageError e) {
        // An instrumentation that cannot capture: the record fails, typed, rather than hang.
        done(null, new PreBufferFailure(e, r, false));
        return;
      } catch (Error e) {
        outcomeOf(e, r);
        throw e;
      }
      Exception failure;
      try {
        if (via.topics.isKnown(topic)) {
          failure = sendHere(via, r, context);
        } else {
          startNow(); // the check may wait for the topic's metadata
          failure = via.topics.run(topic, () -> sendHereInContext(via, r, context));
          if (failure == null) {
            via.topics.known(topic);
          }
        }
      } catch (RuntimeException e) {
        failure = e;
      } catch (Error e) {
        // Thrown around Kafka's send (e.g. by an instrumentation's context on the topic's
        // worker); one from inside it gave the record its outcome already, and this is a no-op.
        outcomeOf(e, r);
        throw e;
      }
      if (failure != null) {
        failedBeforeBuffer(via, r, context, failure); // once, outside the try
      }
    }

    /** Gives the record {@code e} as its outcome, unless it has one; never throws. */
    private void outcomeOf(Error e, ProducerRecord<K, V> r) {
      try {
        done(null, new PreBufferFailure(e, r, false));
      } catch (RuntimeException | Error secondary) {
        e.addSuppressed(secondary);
      }
    }

    /** {@link #sendHere}, on a worker thread, in the caller's context. */
    private Exception sendHereInContext(
        SendAttempts<K, V> via, ProducerRecord<K, V> r, UnaryOperator<Runnable> context) {
      if (context == null) {
        return sendHere(via, r, null);
      }
      Exception[] failure = new Exception[1];
      boolean[] ran = new boolean[1];
      context
          .apply(
              () -> {
                ran[0] = true;
                failure[0] = sendHere(via, r, context);
              })
          .run();
      if (!ran[0]) {
        throw new IllegalStateException("the instrumentation's context did not run the send");
      }
      return failure[0];
    }

    /**
     * Kafka's send, on this thread.
     *
     * @return null if Kafka took the record; else the failure Kafka reported from inside send,
     *     for the caller to handle once (also when Kafka threw after reporting it)
     * @throws RuntimeException what Kafka's send threw without reporting a failure first
     * @throws Error what Kafka's send threw (a serializer's, an interceptor's assertion), once
     *     the record has an outcome: the failure Kafka reported first, else the Error; never
     *     left pending until close
     */
    private Exception sendHere(
        SendAttempts<K, V> via, ProducerRecord<K, V> r, UnaryOperator<Runnable> context) {
      inside = Thread.currentThread();
      try {
        via.kafka.send(r, this);
      } catch (RuntimeException | Error e) {
        Exception reported = leave();
        if (e instanceof Error) {
          try {
            if (reported != null) {
              failedBeforeBuffer(via, r, context, reported);
            } else {
              done(null, new PreBufferFailure(e, r, false));
            }
          } catch (RuntimeException | Error secondary) {
            e.addSuppressed(secondary);
          }
          throw e;
        }
        if (reported == null) {
          throw e;
        }
        return reported;
      }
      return leave();
    }

    /** Out of Kafka's send: the failure Kafka reported from inside it, or null. */
    private Exception leave() {
      Object o = inside;
      inside = null;
      return o instanceof Exception ? (Exception) o : null;
    }

    @Override
    public final void onCompletion(RecordMetadata metadata, Exception e) {
      if (e == null) {
        done(metadata, null);
      } else if (inside == Thread.currentThread()) {
        // Kafka calls back from inside send() only when the record did not get in.
        inside = e;
      } else {
        done(null, e);
      }
    }

    /**
     * Takes the time of the first attempt now, unless it was taken: before anything that may
     * wait (the producer's start, a topic's first metadata), so that the retry budget counts
     * the wait.
     */
    public final void startNow() {
      if (start == 0) {
        start = System.nanoTime();
      }
    }

    /**
     * When the first attempt began, estimated at its failure if nobody took the time: a known
     * topic's send waits in Kafka only for metadata or buffer space, and then until max block,
     * when Kafka throws its TimeoutException; any other failure before the buffer is taken as
     * immediate (one that came after a shorter wait, e.g. a stale authentication failure,
     * gets its retries for that much longer).
     */
    private long startOf(SendAttempts<K, V> via, Throwable e) {
      long s = start;
      if (s == 0) {
        boolean waitedMaxBlock = Causes.anyIs(e, org.apache.kafka.common.errors.TimeoutException.class);
        s = System.nanoTime() - (waitedMaxBlock ? via.topics.maxBlock().toNanos() : 0);
        start = s;
      }
      return s;
    }

    private void failedBeforeBuffer(
        SendAttempts<K, V> v, ProducerRecord<K, V> r, UnaryOperator<Runnable> c, Throwable e) {
      long start = startOf(v, e);
      PreBufferFailure failure = v.beforeBuffer(e, r, start);
      if (!failure.retriable() || !v.retries) {
        done(null, failure);
        return;
      }
      long wait = v.backoff.apply(1);
      v.listener.onRetry(r, 1, Duration.ofMillis(wait), Errors.unwrap(failure));
      try {
        Runnable retry = () -> v.retry(r, start, this, c);
        Runnable task = c == null ? retry : c.apply(retry);
        v.scheduler.schedule(
            () -> {
              try {
                task.run();
              } catch (RuntimeException | Error thrown) {
                // Thrown around the retry (an instrumentation's context): a scheduled task's
                // failure is seen by nobody, so it is the record's outcome (a no-op if it has one).
                done(null, new PreBufferFailure(thrown, r, false));
              }
            },
            wait,
            TimeUnit.MILLISECONDS);
      } catch (RuntimeException cannotSchedule) { // closed, or an instrumentation that threw
        done(null, failure);
      }
    }
  }

  /** The retry for attempts 2..max, made once. */
  private Retry later() {
    Retry r = later;
    if (r == null) {
      synchronized (this) {
        r = later;
        if (r == null) {
          // Attempts 2..max: resilience4j numbers them from 1, the backoff goes on from the first.
          RetryConfig config =
              RetryConfig.custom()
                  .maxAttempts(maxAttempts - 1)
                  .intervalFunction(n -> backoff.apply(n + 1))
                  .retryOnException(SendAttempts::shouldRetry)
                  .build();
          r = Retry.of("msk-producer-send", config);
          r.getEventPublisher()
              .onRetry(
                  e -> {
                    Throwable last = e.getLastThrowable();
                    if (last instanceof PreBufferFailure) {
                      listener.onRetry(
                          ((PreBufferFailure) last).record(),
                          e.getNumberOfRetryAttempts() + 1,
                          e.getWaitInterval(),
                          Errors.unwrap(last));
                    }
                  });
          later = r;
        }
      }
    }
    return r;
  }

  private void retry(
      ProducerRecord<K, V> record, long start, Outcome outcome, UnaryOperator<Runnable> context) {
    try {
      later()
          .executeCompletionStage(scheduler, () -> attemptIn(context, record, start))
          .whenComplete(outcome::done);
    } catch (RuntimeException | Error e) {
      // On the retry scheduler, where a throw is seen by nobody: the record's outcome instead.
      outcome.done(null, new PreBufferFailure(e, record, false));
    }
  }

  /** {@link #attempt} in the caller's context, if one was captured. */
  private CompletableFuture<RecordMetadata> attemptIn(
      UnaryOperator<Runnable> context, ProducerRecord<K, V> record, long start) {
    if (context == null) {
      return attempt(record, start);
    }
    AtomicReference<CompletableFuture<RecordMetadata>> result = new AtomicReference<>();
    try {
      context.apply(() -> result.set(attempt(record, start))).run();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(beforeBuffer(e, record, start));
    } catch (Error e) {
      return CompletableFuture.failedFuture(new PreBufferFailure(e, record, false));
    }
    CompletableFuture<RecordMetadata> f = result.get();
    return f != null
        ? f
        : CompletableFuture.failedFuture(
            beforeBuffer(
                new IllegalStateException("the instrumentation's context did not run the send"),
                record,
                start));
  }

  /** A later attempt, on the retry scheduler. */
  private CompletableFuture<RecordMetadata> attempt(ProducerRecord<K, V> record, long start) {
    CompletableFuture<RecordMetadata> result = new CompletableFuture<>();
    Thread caller = Thread.currentThread();
    boolean[] insideSend = {true};
    try {
      kafka.send(
          record,
          (metadata, e) -> {
            if (e == null) {
              result.complete(metadata);
            } else if (insideSend[0] && Thread.currentThread() == caller) {
              result.completeExceptionally(beforeBuffer(e, record, start));
            } else {
              result.completeExceptionally(e);
            }
          });
    } catch (RuntimeException e) {
      result.completeExceptionally(beforeBuffer(e, record, start));
    } catch (Error e) {
      // A serializer's or an interceptor's Error on a retry: the record fails with it (not
      // retried), rather than staying pending until close; a failure Kafka reported first stands.
      result.completeExceptionally(new PreBufferFailure(e, record, false));
    } finally {
      insideSend[0] = false;
    }
    return result;
  }

  private PreBufferFailure beforeBuffer(Throwable e, ProducerRecord<K, V> record, long start) {
    boolean inBudget = System.nanoTime() - start < budget.toNanos();
    boolean passing =
        e instanceof TopicNotFoundException
            ? retryMissingTopics
            : Errors.retriableBeforeBuffer(e) || staleAuthenticationFailure(e);
    return new PreBufferFailure(e, record, inBudget && passing);
  }

  /**
   * Kafka keeps a connection's authentication failure and throws it at the next send that waits
   * for metadata, even when later connections have authenticated again (e.g. after a while of
   * expired tokens or refused certificates). For a producer whose authentication has worked
   * before, such a failure is worth more attempts, within the retry policy: they pass once
   * authentication works again, or the record fails with the last failure when the policy's
   * attempts or time run out. A producer that never authenticated (wrong credentials from the
   * start) fails at once, as before.
   */
  private boolean staleAuthenticationFailure(Throwable e) {
    if (authenticatedBefore == null
        || !Causes.find(e, org.apache.kafka.common.errors.AuthenticationException.class).isPresent()) {
      return false;
    }
    try {
      return authenticatedBefore.getAsBoolean();
    } catch (RuntimeException closed) {
      return false;
    }
  }

  private static boolean shouldRetry(Throwable t) {
    return Causes.find(t, PreBufferFailure.class).map(PreBufferFailure::retriable).orElse(false);
  }
}
