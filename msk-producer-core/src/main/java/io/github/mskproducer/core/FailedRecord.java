package io.github.mskproducer.core;

import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A record that was accepted by {@code send} but not acknowledged, with why: the record itself
 * (to send again if the cause is retriable) and the exception its future failed with. Its
 * {@link #toString()} shows topic, partition and cause, never key or value.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class FailedRecord<K, V> {
  private final ProducerRecord<K, V> record;
  private final MskProducerException cause;

  /**
   * Creates the failed record.
   *
   * @param record the record
   * @param cause why it failed
   */
  public FailedRecord(ProducerRecord<K, V> record, MskProducerException cause) {
    this.record = Objects.requireNonNull(record, "record");
    this.cause = Objects.requireNonNull(cause, "cause");
  }

  /**
   * The record as it was given to {@code send}.
   *
   * @return the record
   */
  public ProducerRecord<K, V> record() {
    return record;
  }

  /**
   * Why it failed; {@link MskProducerException#isRetriable()} says whether sending it again
   * may succeed.
   *
   * @return the cause
   */
  public MskProducerException cause() {
    return cause;
  }

  @Override
  public String toString() {
    return "FailedRecord{topic="
        + record.topic()
        + (record.partition() == null ? "" : ", partition=" + record.partition())
        + ", cause="
        + cause.getClass().getSimpleName()
        + ": "
        + cause.getMessage()
        + "}";
  }
}
