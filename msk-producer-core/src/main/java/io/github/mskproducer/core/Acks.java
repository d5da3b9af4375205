package io.github.mskproducer.core;

/** How many replicas must have a record before the broker acknowledges it ({@code acks}). */
public enum Acks {
  /** All in-sync replicas ({@code acks=all}): no loss while one replica survives. The default. */
  ALL("all"),
  /** The leader only ({@code acks=1}): lost if the leader fails before replicating. */
  LEADER("1"),
  /** No acknowledgement ({@code acks=0}): fire and forget. */
  NONE("0");

  private final String kafkaValue;

  Acks(String kafkaValue) {
    this.kafkaValue = kafkaValue;
  }

  /**
   * The value of Kafka's {@code acks} property.
   *
   * @return {@code all}, {@code 1} or {@code 0}
   */
  public String kafkaValue() {
    return kafkaValue;
  }
}
