package io.github.mskproducer.core.internal.send;

/**
 * A send attempt that failed before its record reached the producer's buffer (Kafka told us
 * from inside {@code send}, on the calling thread). Only these may be retried by us; once a
 * record is in the buffer, Kafka retries it.
 */
final class PreBufferFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient String topic;
  private final boolean retriable;

  PreBufferFailure(Throwable cause, String topic, boolean retriable) {
    super(cause.getMessage(), cause, false, false);
    this.topic = topic;
    this.retriable = retriable;
  }

  String topic() {
    return topic;
  }

  boolean retriable() {
    return retriable;
  }
}
