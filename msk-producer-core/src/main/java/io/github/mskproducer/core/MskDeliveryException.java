package io.github.mskproducer.core;

import java.util.OptionalInt;

/**
 * A record was not acknowledged: the broker refused it, the delivery timeout passed, or the
 * producer closed first. Names the topic, the partition if known, and a hash of the key;
 * never the value.
 */
public class MskDeliveryException extends MskProducerException {
  private static final long serialVersionUID = 1L;

  /** The record's topic. */
  private final String topic;

  /** The record's partition, or null. */
  private final Integer partition;

  /** A hash of the record's key, or null. */
  private final Integer keyHash;

  /**
   * Creates the exception.
   *
   * @param message what happened and what to do
   * @param cause the underlying failure
   * @param retriable whether sending the record again may succeed
   * @param topic the record's topic
   * @param partition the record's partition, or null if not known
   * @param keyHash a hash of the serialized key, or null for a record without key
   */
  public MskDeliveryException(
      String message,
      Throwable cause,
      boolean retriable,
      String topic,
      Integer partition,
      Integer keyHash) {
    super(message, cause, retriable);
    this.topic = topic;
    this.partition = partition;
    this.keyHash = keyHash;
  }

  /**
   * The record's topic.
   *
   * @return the topic
   */
  public String topic() {
    return topic;
  }

  /**
   * The record's partition, when known.
   *
   * @return the partition, or empty
   */
  public OptionalInt partition() {
    return partition == null ? OptionalInt.empty() : OptionalInt.of(partition);
  }

  /**
   * A hash of the record's key ({@link java.util.Objects#hashCode} of the key object), to
   * correlate with application logs without logging the key itself.
   *
   * @return the hash, or empty for a record without key
   */
  public OptionalInt keyHash() {
    return keyHash == null ? OptionalInt.empty() : OptionalInt.of(keyHash);
  }
}
