package io.github.mskproducer.lambda;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import io.github.mskproducer.core.FailedRecord;
import io.github.mskproducer.core.FlushResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * What one invocation produced: the function's value, and the outcome of every record it sent,
 * flushed before the invocation returned (acknowledged, failed with the cause, or still
 * pending when the invocation's time ran out).
 *
 * @param <K> the key type
 * @param <V> the value type
 * @param <R> the function's result type
 */
public final class InvocationResult<K, V, R> {
  private final String requestId;
  private final R value;
  private final FlushResult<K, V> flush;
  private final RecycleReason recycled;
  private final Set<String> failedSourceItems;
  private final int recordsWithoutSourceItem;

  InvocationResult(
      String requestId,
      R value,
      FlushResult<K, V> flush,
      RecycleReason recycled,
      Invocation<K, V> invocation) {
    this.requestId = requestId;
    this.value = value;
    this.flush = flush;
    this.recycled = recycled;
    if (flush.isComplete()) { // the usual end of an invocation: nothing to map
      this.failedSourceItems = Collections.emptySet();
      this.recordsWithoutSourceItem = 0;
      return;
    }
    Set<String> items = new LinkedHashSet<>();
    int unmapped = 0;
    List<ProducerRecord<K, V>> notDelivered = new ArrayList<>(flush.pending());
    for (FailedRecord<K, V> f : flush.failed()) {
      notDelivered.add(f.record());
    }
    for (ProducerRecord<K, V> r : notDelivered) {
      String item = invocation == null ? null : invocation.sourceItemOf(r);
      if (item == null) {
        unmapped++;
      } else {
        items.add(item);
      }
    }
    this.failedSourceItems = Collections.unmodifiableSet(items);
    this.recordsWithoutSourceItem = unmapped;
  }

  /**
   * The Lambda request id of the invocation.
   *
   * @return the request id
   */
  public String requestId() {
    return requestId;
  }

  /**
   * What the invocation's function returned.
   *
   * @return the value (null if the function failed)
   */
  public R value() {
    return value;
  }

  /**
   * The records' outcome: acknowledged count, failed records with causes, pending records.
   *
   * @return the flush result
   */
  public FlushResult<K, V> flush() {
    return flush;
  }

  /**
   * Why a fresh Kafka producer was built before this invocation, if one was.
   *
   * @return the reason, or empty if the previous producer was reused
   */
  public Optional<RecycleReason> recycled() {
    return Optional.ofNullable(recycled);
  }

  /**
   * Whether every record of the invocation was acknowledged.
   *
   * @return true if none failed and none is pending
   */
  public boolean isComplete() {
    return flush.isComplete();
  }

  /**
   * The source items (SQS message ids, stream sequence numbers) of the records that failed or
   * were still pending: the items Lambda should retry.
   *
   * @return the item ids, once each, in a set that cannot be modified: first those of pending
   *     records, then those of failed ones (a partial batch response for a stream makes Lambda
   *     retry from the lowest sequence number it lists, whatever the order)
   */
  public Set<String> failedSourceItems() {
    return failedSourceItems;
  }

  /**
   * A partial batch response for an SQS event source mapping with {@code
   * ReportBatchItemFailures}: Lambda retries only the messages whose records failed.
   *
   * @return the response
   * @throws IllegalStateException if a failed record was sent without a source item id: then
   *     nobody can say which messages to retry (fail the whole batch instead)
   */
  public SQSBatchResponse sqsBatchResponse() {
    checkMapped();
    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    failedSourceItems.forEach(id -> failures.add(new SQSBatchResponse.BatchItemFailure(id)));
    return new SQSBatchResponse(failures);
  }

  /**
   * A partial batch response for a Kinesis or DynamoDB stream event source mapping with {@code
   * ReportBatchItemFailures}: item ids are sequence numbers.
   *
   * @return the response
   * @throws IllegalStateException if a failed record was sent without a source item id
   */
  public StreamsEventResponse streamsEventResponse() {
    checkMapped();
    List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
    failedSourceItems.forEach(id -> failures.add(new StreamsEventResponse.BatchItemFailure(id)));
    return new StreamsEventResponse(failures);
  }

  private void checkMapped() {
    if (recordsWithoutSourceItem > 0) {
      throw new IllegalStateException(
          recordsWithoutSourceItem
              + " record(s) that were not delivered have no source item id: send them with"
              + " Invocation.send(record, sourceItemId), or fail the whole batch");
    }
  }

  @Override
  public String toString() {
    return "InvocationResult{requestId="
        + requestId
        + ", "
        + flush
        + (recycled == null ? "" : ", recycled=" + recycled)
        + "}";
  }
}
