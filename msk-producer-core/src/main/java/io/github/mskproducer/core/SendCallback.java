package io.github.mskproducer.core;

import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Hears the outcome of a record sent with {@link MskProducer#send(org.apache.kafka.clients.producer.ProducerRecord,
 * SendCallback)}, once. Most calls come from Kafka's I/O thread: keep the work short, as in
 * Kafka's own callbacks.
 */
@FunctionalInterface
public interface SendCallback {
  /**
   * The record's outcome.
   *
   * @param metadata where the record was written; null if it failed
   * @param failure why it failed ({@link MskAuthenticationException}, {@link
   *     MskAuthorizationException}, {@link MskDeliveryException}, {@link
   *     MskProducerClosedException}); null if it was acknowledged
   */
  void onCompletion(RecordMetadata metadata, MskProducerException failure);
}
