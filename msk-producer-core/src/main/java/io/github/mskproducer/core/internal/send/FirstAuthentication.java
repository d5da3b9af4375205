package io.github.mskproducer.core.internal.send;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
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
    /** One authentication succeeded (the producer id request can go out). */
    SUCCEEDED,
    /** Authentication failed, and none succeeded: the producer is stuck. */
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
    CompletableFuture<Boolean> answer = new CompletableFuture<>();
    Thread probe =
        new Thread(
            () -> {
              try {
                kafka.partitionsFor(PROBE_TOPIC);
                answer.complete(true);
              } catch (RuntimeException e) {
                answer.complete(
                    !(Errors.unwrap(e) instanceof AuthenticationException)
                        || Errors.isTooManyConnects(e));
              }
            },
            "msk-producer-startup-probe");
    probe.setDaemon(true);
    probe.start();
    try {
      return answer.get(bound.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
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
    while (true) {
      double succeeded = 0;
      double failed = 0;
      double closed = 0;
      for (Map.Entry<MetricName, ? extends Metric> e : kafka.metrics().entrySet()) {
        Object v = e.getValue().metricValue();
        if (!(v instanceof Double)) {
          continue;
        }
        switch (e.getKey().name()) {
          case "successful-authentication-total":
            succeeded += (Double) v;
            break;
          case "failed-authentication-total":
            failed += (Double) v;
            break;
          case "connection-close-total":
            closed += (Double) v;
            break;
          default:
            break;
        }
      }
      if (succeeded > 0) {
        return Outcome.SUCCEEDED;
      }
      if (failed > 0) {
        return Outcome.FAILED;
      }
      if (closed > 0 || System.nanoTime() > deadline) {
        return Outcome.UNKNOWN;
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Outcome.UNKNOWN;
      }
    }
  }
}
