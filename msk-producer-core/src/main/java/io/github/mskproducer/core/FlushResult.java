package io.github.mskproducer.core;

import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * What a {@link MskProducer#flush(java.time.Duration)} saw by its deadline. Each record accepted
 * by {@code send} is reported exactly once as {@link #acknowledged() acknowledged} or {@link
 * #failed() failed} (by the first flush after its outcome is known) and, until then, as {@link
 * #pending() pending} by every flush that ends before its outcome: nothing is dropped unseen.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class FlushResult<K, V> {
  private final long acknowledged;
  private final List<FailedRecord<K, V>> failed;
  private final List<ProducerRecord<K, V>> pending;
  private final boolean deadlineReached;

  /**
   * Creates the result.
   *
   * @param acknowledged records acknowledged since the previous flush
   * @param failed records failed since the previous flush
   * @param pending records in flight at the deadline
   * @param deadlineReached whether the flush stopped at its deadline with records in flight
   */
  public FlushResult(
      long acknowledged,
      List<FailedRecord<K, V>> failed,
      List<ProducerRecord<K, V>> pending,
      boolean deadlineReached) {
    this.acknowledged = acknowledged;
    this.failed = List.copyOf(failed);
    this.pending = List.copyOf(pending);
    this.deadlineReached = deadlineReached;
  }

  /**
   * Records acknowledged since the previous flush.
   *
   * @return the count
   */
  public long acknowledged() {
    return acknowledged;
  }

  /**
   * Records that failed since the previous flush, with their causes.
   *
   * @return the failed records
   */
  public List<FailedRecord<K, V>> failed() {
    return failed;
  }

  /**
   * Records still without an outcome at the deadline: in the buffer, in flight, or waiting for
   * a retry. They stay tracked; a later flush reports their outcome.
   *
   * @return the pending records
   */
  public List<ProducerRecord<K, V>> pending() {
    return pending;
  }

  /**
   * Whether the flush stopped at its deadline with records pending.
   *
   * @return true if {@link #pending()} is not empty because time ran out
   */
  public boolean deadlineReached() {
    return deadlineReached;
  }

  /**
   * Whether every record since the previous flush was acknowledged.
   *
   * @return true if nothing failed and nothing is pending
   */
  public boolean isComplete() {
    return failed.isEmpty() && pending.isEmpty();
  }

  @Override
  public String toString() {
    return "FlushResult{acknowledged="
        + acknowledged
        + ", failed="
        + failed.size()
        + ", pending="
        + pending.size()
        + (deadlineReached ? ", deadline reached" : "")
        + "}";
  }
}
