package io.github.mskproducer.core;

import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Hears what a producer does, beside its SLF4J logging. Every method has an empty default;
 * implement those you need. Methods run on the producer's threads (Kafka's network thread,
 * the caller's thread, the thread that starts the producer: {@code onRestarted} and the first
 * {@code onTokenGenerated}): keep them short and do not block. An exception thrown here is logged
 * and otherwise ignored.
 *
 * <p>Per-record events ({@link #onSent}, {@link #onAcknowledged}) cost the producer nothing
 * when no listener is registered; a metrics binder (msk-producer-micrometer) is built on them.
 * Every record {@code send} accepted ends in exactly one {@link #onAcknowledged} or {@link
 * #onSendFailed}, or is still pending.
 */
public interface MskProducerListener {
  /**
   * {@code send} took a record: from now on it ends acknowledged, failed (also at once, e.g. a
   * send after {@code close()}), or pending in a flush's report; every failure a listener hears
   * follows its record's {@code onSent}. Runs on the caller's thread.
   *
   * @param topic the record's topic
   */
  default void onSent(String topic) {}

  /**
   * A record was acknowledged by the brokers. Runs on Kafka's network thread: keep it short.
   *
   * @param metadata where it was written
   * @param latency from {@code send} to the acknowledgement
   */
  default void onAcknowledged(RecordMetadata metadata, Duration latency) {}

  /**
   * {@code flush} returned its report.
   *
   * @param result the report
   * @param took how long the flush took
   */
  default void onFlushed(FlushResult<?, ?> result, Duration took) {}

  /**
   * Signing an IAM token failed (no credentials, expired credentials); Kafka's authentication
   * fails with it, and the next connection attempt signs again.
   *
   * @param cause why
   */
  default void onTokenFailed(MskAuthenticationException cause) {}

  /**
   * A Kafka producer started under this producer: when the start finishes, and in Lambda after
   * each recycle. Its metrics are live until {@link #onKafkaProducerClosed} with the same
   * handle. A metrics binder binds Kafka's client metrics here. A producer closed while it
   * started may announce its Kafka producer, and its closing, after {@link #onClosed}.
   *
   * @param kafka the Kafka producer, seen through its client id and metrics
   */
  default void onKafkaProducerStarted(KafkaProducerHandle kafka) {}

  /**
   * A Kafka producer that {@link #onKafkaProducerStarted} announced was closed: its metrics are
   * dead.
   *
   * @param kafka the handle {@link #onKafkaProducerStarted} had
   */
  default void onKafkaProducerClosed(KafkaProducerHandle kafka) {}

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
