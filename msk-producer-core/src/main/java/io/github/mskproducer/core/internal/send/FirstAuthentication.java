package io.github.mskproducer.core.internal.send;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

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

  private FirstAuthentication() {}

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
