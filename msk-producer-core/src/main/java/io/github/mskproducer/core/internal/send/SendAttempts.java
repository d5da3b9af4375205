package io.github.mskproducer.core.internal.send;

import io.github.mskproducer.core.RetryPolicy;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Sends a record with resilience4j-retry around what Kafka does not retry: a failure inside
 * {@code send}, before the record reached the buffer, with a cause that may pass (metadata not
 * there in time, {@code Too many connects}), and only while the first attempt is less than
 * max-block old. The first attempt runs on the caller's thread (so {@code send} blocks as
 * Kafka's does), later ones on the retry scheduler.
 */
public final class SendAttempts<K, V> {
  /** Hears each retry: the record, the attempt that failed, the wait, the cause. */
  public interface RetryListener {
    void onRetry(ProducerRecord<?, ?> record, int attempt, Duration wait, Throwable cause);
  }

  private final Producer<K, V> kafka;
  private final Duration budget;
  private final ScheduledExecutorService scheduler;
  private final Retry retry;

  public SendAttempts(
      Producer<K, V> kafka,
      RetryPolicy policy,
      Duration budget,
      ScheduledExecutorService scheduler,
      RetryListener listener) {
    this.kafka = kafka;
    this.budget = budget;
    this.scheduler = scheduler;
    IntervalFunction backoff =
        policy.jitter() == 0
            ? IntervalFunction.ofExponentialBackoff(
                policy.initialBackoff(), policy.multiplier(), policy.maxBackoff())
            : IntervalFunction.ofExponentialRandomBackoff(
                policy.initialBackoff(), policy.multiplier(), policy.jitter(), policy.maxBackoff());
    RetryConfig config =
        RetryConfig.custom()
            .maxAttempts(policy.maxAttempts())
            .intervalFunction(backoff)
            .retryOnException(SendAttempts::shouldRetry)
            .build();
    this.retry = Retry.of("msk-producer-send", config);
    retry
        .getEventPublisher()
        .onRetry(
            e -> {
              Throwable last = e.getLastThrowable();
              if (last instanceof PreBufferFailure) {
                listener.onRetry(
                    ((PreBufferFailure) last).record(),
                    e.getNumberOfRetryAttempts(),
                    e.getWaitInterval(),
                    Errors.unwrap(last));
              }
            });
  }

  /** Sends with retries; the stage fails with what the last attempt failed with. */
  public CompletionStage<RecordMetadata> send(ProducerRecord<K, V> record) {
    long start = System.nanoTime();
    return retry.executeCompletionStage(scheduler, () -> attempt(record, start));
  }

  /** Whether a failure of {@link #send} happened before the record reached the buffer. */
  public static boolean failedBeforeBuffer(Throwable failure) {
    for (Throwable c = failure; c != null; c = c.getCause()) {
      if (c instanceof PreBufferFailure) {
        return true;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return false;
  }

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
              // Kafka calls back from inside send() only when the record did not get in.
              result.completeExceptionally(beforeBuffer(e, record, start));
            } else {
              result.completeExceptionally(e);
            }
          });
    } catch (RuntimeException e) {
      result.completeExceptionally(beforeBuffer(e, record, start));
    } finally {
      insideSend[0] = false;
    }
    return result;
  }

  private PreBufferFailure beforeBuffer(Throwable e, ProducerRecord<K, V> record, long start) {
    boolean inBudget = System.nanoTime() - start < budget.toNanos();
    return new PreBufferFailure(e, record, inBudget && Errors.retriableBeforeBuffer(e));
  }

  private static boolean shouldRetry(Throwable t) {
    Throwable c = t;
    while (c != null && !(c instanceof PreBufferFailure)) {
      c = c.getCause() == c ? null : c.getCause();
    }
    return c != null && ((PreBufferFailure) c).retriable();
  }
}
