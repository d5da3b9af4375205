package io.github.mskproducer.core.internal.send;

import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A send attempt that failed before its record reached the producer's buffer (Kafka told us
 * from inside {@code send}, on the calling thread). Only these may be retried by us; once a
 * record is in the buffer, Kafka retries it.
 */
final class PreBufferFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient ProducerRecord<?, ?> record;
  private final boolean retriable;

  PreBufferFailure(Throwable cause, ProducerRecord<?, ?> record, boolean retriable) {
    super(cause.getMessage(), cause, false, false);
    this.record = record;
    this.retriable = retriable;
  }

  ProducerRecord<?, ?> record() {
    return record;
  }

  boolean retriable() {
    return retriable;
  }
}
