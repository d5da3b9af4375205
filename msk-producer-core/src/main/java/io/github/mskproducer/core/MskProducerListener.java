package io.github.mskproducer.core;

import java.time.Duration;
import java.time.Instant;

/**
 * Hears what a producer does, beside its SLF4J logging. Every method has an empty default;
 * implement those you need. Methods run on the producer's threads (Kafka's network thread,
 * the caller's thread, the thread that starts the producer: {@code onRestarted} and the first
 * {@code onTokenGenerated}): keep them short and do not block. An exception thrown here is logged
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
   * A {@code send} that failed before reaching the buffer will be tried again.
   *
   * @param topic the record's topic
   * @param attempt the attempt that failed, from 1
   * @param wait the pause before the next attempt
   * @param cause why the attempt failed
   */
  default void onRetry(String topic, int attempt, Duration wait, MskProducerException cause) {}

  /**
   * The producer replaces its Kafka producer while starting, because that one's first
   * connection was refused authentication (MSK's "Too many connects" when many clients start
   * at once), which an idempotent Kafka producer does not recover from by itself
   * (KAFKA-20237). The replaced one had sent nothing.
   *
   * @param attempt the start that failed, from 1
   * @param wait the pause before the next start
   * @param cause why it failed
   */
  default void onRestarted(int attempt, Duration wait, MskAuthenticationException cause) {}

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
