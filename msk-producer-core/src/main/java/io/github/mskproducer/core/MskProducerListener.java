package io.github.mskproducer.core;

import java.time.Duration;
import java.time.Instant;

/**
 * Hears what a producer does, beside its SLF4J logging. Every method has an empty default;
 * implement those you need. Methods run on the producer's threads (Kafka's network thread,
 * the caller's thread): keep them short and do not block. An exception thrown here is logged
 * and otherwise ignored.
 */
public interface MskProducerListener {
  /**
   * A fresh IAM token was signed, for a new connection or a re-authentication.
   *
   * @param region the region it was signed for
   * @param expiresAt when it expires (at most 15 minutes, never after the credentials)
   */
  default void onTokenGenerated(String region, Instant expiresAt) {}

  /**
   * A {@code send} that failed before reaching the buffer will be tried again; or, with {@code
   * topic} null, {@code build()} starts a new Kafka producer because the first one's first
   * connection failed authentication (e.g. MSK's "Too many connects"), which an idempotent
   * Kafka producer does not recover from by itself.
   *
   * @param topic the record's topic, or null for a new Kafka producer at start
   * @param attempt the attempt that failed, from 1
   * @param wait the pause before the next attempt
   * @param cause why the attempt failed
   */
  default void onRetry(String topic, int attempt, Duration wait, MskProducerException cause) {}

  /**
   * A record failed for good (after any retries).
   *
   * @param failed the record and its cause
   */
  default void onSendFailed(FailedRecord<?, ?> failed) {}

  /**
   * The producer closed.
   *
   * @param took how long closing took
   */
  default void onClosed(Duration took) {}
}
