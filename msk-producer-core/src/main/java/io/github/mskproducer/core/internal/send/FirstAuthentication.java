package io.github.mskproducer.core.internal.send;

import io.github.mskproducer.core.internal.kafka.KafkaClientFacts;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.errors.AuthenticationException;

/**
 * How a new Kafka producer's first connection authenticated, read from its own metrics.
 *
 * <p>Why it matters: an idempotent Kafka producer asks for its producer id over its first
 * connection; if that connection fails authentication (on MSK, typically "Too many connects"
 * when many clients start at once), the request is dropped and never sent again, so the
 * producer accepts records but never sends them (KAFKA-20237, open in kafka-clients 4.4). The
 * builder therefore checks the first authentication and, if it failed before any succeeded,
 * replaces the producer.
 */
public final class FirstAuthentication {
  /** What the first authentication did. */
  public enum Outcome {
    /** It has its producer id (where that cannot be seen: one authentication succeeded). */
    SUCCEEDED,
    /** Authentication failed before the producer had its producer id: it is stuck. */
    FAILED,
    /** Nothing yet within the bound, or the connection closed first (broker unreachable). */
    UNKNOWN
  }

  /** A topic name no cluster has: asking for it only surfaces the producer's stored failure. */
  static final String PROBE_TOPIC = "__msk_producer_startup_probe";

  private FirstAuthentication() {}

  /**
   * After a {@link Outcome#FAILED} first authentication: whether the broker refused it for its
   * connection rate ("Too many connects", worth a new producer) rather than for the
   * credentials (a new producer would fail the same way; the send reports it). Kafka keeps the
   * failure for the next metadata wait, which this asks for, on a thread of its own, for at most
   * {@code bound}; without an answer in time it says true (the producer is stuck either way).
   *
   * @param kafka the producer whose first authentication failed
   * @param bound the longest wait for the answer
   * @return false only if the failure is known to be something else than the rate limit
   */
  public static boolean refusedForRate(Producer<?, ?> kafka, Duration bound) {
    RuntimeException failure = storedFailure(kafka, bound);
    return failure == null || refusedForRate(failure);
  }

  /**
   * The failure Kafka keeps for the next metadata wait after a failed authentication, asked
   * for on a thread of its own for at most {@code bound}.
   *
   * @param kafka the producer whose first authentication failed
   * @param bound the longest wait for the answer
   * @return what the wait threw, or null if it did not throw within the bound
   */
  public static RuntimeException storedFailure(Producer<?, ?> kafka, Duration bound) {
    CompletableFuture<RuntimeException> answer = new CompletableFuture<>();
    Thread probe =
        new Thread(
            () -> {
              try {
                kafka.partitionsFor(PROBE_TOPIC);
                answer.complete(null);
              } catch (RuntimeException e) {
                answer.complete(e);
              }
            },
            "msk-producer-startup-probe");
    probe.setDaemon(true);
    probe.start();
    try {
      return answer.get(bound.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /**
   * Whether a failure a metadata wait surfaced says the broker refused the connection for its
   * rate (or something else than the credentials).
   *
   * @param e what the wait threw
   * @return false only if it is an authentication failure other than the rate limit
   */
  public static boolean refusedForRate(RuntimeException e) {
    return !(Errors.unwrap(e) instanceof AuthenticationException) || KafkaClientFacts.isTooManyConnects(e);
  }

  /**
   * Waits, polling the producer's metrics, until its first authentication succeeds or fails,
   * a connection closes, or {@code bound} passes.
   *
   * @param kafka the new producer
   * @param bound the longest wait
   * @return the outcome
   */
  public static Outcome await(Producer<?, ?> kafka, Duration bound) {
    long deadline = System.nanoTime() + bound.toNanos();
    long failedSince = 0;
    while (true) {
      KafkaClientFacts.Connections c = KafkaClientFacts.connections(kafka.metrics());
      double succeeded = c.authenticated;
      double failed = c.failedAuthentications;
      double closed = c.closed;
      Optional<Boolean> hasId = KafkaClientFacts.hasProducerId(kafka);
      long now = System.nanoTime();
      if (hasId.isPresent()) {
        // Exact: healthy once it has its producer id; stuck if an authentication failed before
        // (on any connection: the request may go to another broker than the first connection).
        if (hasId.get()) {
          return Outcome.SUCCEEDED;
        }
        if (failed > 0) {
          if (failedSince == 0) {
            failedSince = now;
          } else if (now - failedSince > GRACE_NANOS) {
            return Outcome.FAILED;
          }
        } else if (closed > 0 && succeeded == 0) {
          return Outcome.UNKNOWN;
        }
      } else {
        if (succeeded > 0) {
          return Outcome.SUCCEEDED;
        }
        if (failed > 0) {
          return Outcome.FAILED;
        }
        if (closed > 0) {
          return Outcome.UNKNOWN;
        }
      }
      if (now > deadline) {
        return failedSince != 0 ? Outcome.FAILED : Outcome.UNKNOWN;
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Outcome.UNKNOWN;
      }
    }
  }

  /** How long a producer id may still come after an authentication failure. */
  private static final long GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(1000);
}
