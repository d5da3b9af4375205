package io.github.mskproducer.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import io.github.mskproducer.core.MskProducer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Sends records within one Lambda invocation. Every record sent here is flushed before the
 * invocation returns, and {@link InvocationResult} reports its outcome. Give each record the
 * id of the event item it came from ({@link #send(ProducerRecord, String)}) to get a partial
 * batch response that makes Lambda retry only those items.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class Invocation<K, V> {
  /** The header with a record id stable across Lambda retries, when enabled. */
  public static final String RECORD_ID_HEADER = "msk-producer-record-id";

  private final Context context;
  private final MskProducer<K, V> producer;
  private final boolean recordIdHeader;
  private final AtomicInteger index = new AtomicInteger();
  private final Object sourceItemsLock = new Object();
  private Map<ProducerRecord<K, V>, String> sourceItems; // made on the first record sent for one

  Invocation(Context context, MskProducer<K, V> producer, boolean recordIdHeader) {
    this.context = context;
    this.producer = producer;
    this.recordIdHeader = recordIdHeader;
  }

  /**
   * The Lambda context of this invocation.
   *
   * @return the context
   */
  public Context context() {
    return context;
  }

  /**
   * The time left before Lambda stops the invocation.
   *
   * @return the remaining time
   */
  public Duration remainingTime() {
    return Duration.ofMillis(Math.max(0, context.getRemainingTimeInMillis()));
  }

  /**
   * Sends a keyed value.
   *
   * @param topic the topic
   * @param key the key
   * @param value the value
   * @return completes with the acknowledgement or an {@code MskProducerException}
   */
  public CompletableFuture<RecordMetadata> send(String topic, K key, V value) {
    return send(new ProducerRecord<>(topic, key, value), null);
  }

  /**
   * Sends a record.
   *
   * @param record the record
   * @return completes with the acknowledgement or an {@code MskProducerException}
   */
  public CompletableFuture<RecordMetadata> send(ProducerRecord<K, V> record) {
    return send(record, null);
  }

  /**
   * Sends a record that came from an event item (an SQS message id, a Kinesis or DynamoDB
   * stream sequence number), so that a failed record maps back to its item in {@link
   * InvocationResult#sqsBatchResponse()} or {@link InvocationResult#streamsEventResponse()}.
   *
   * @param record the record
   * @param sourceItemId the event item's id, or null
   * @return completes with the acknowledgement or an {@code MskProducerException}
   */
  public CompletableFuture<RecordMetadata> send(ProducerRecord<K, V> record, String sourceItemId) {
    Objects.requireNonNull(record, "record");
    ProducerRecord<K, V> toSend = record;
    int i = index.getAndIncrement();
    if (recordIdHeader) {
      toSend =
          new ProducerRecord<>(
              record.topic(),
              record.partition(),
              record.timestamp(),
              record.key(),
              record.value(),
              record.headers());
      toSend
          .headers()
          .remove(RECORD_ID_HEADER)
          .add(
              RECORD_ID_HEADER,
              (context.getAwsRequestId() + ":" + i).getBytes(StandardCharsets.UTF_8));
    }
    if (sourceItemId != null) {
      synchronized (sourceItemsLock) {
        if (sourceItems == null) {
          sourceItems = new IdentityHashMap<>();
        }
        sourceItems.put(toSend, sourceItemId);
      }
    }
    return producer.send(toSend);
  }

  /**
   * How many records this invocation sent.
   *
   * @return the count
   */
  public int sentCount() {
    return index.get();
  }

  String sourceItemOf(ProducerRecord<K, V> record) {
    synchronized (sourceItemsLock) {
      return sourceItems == null ? null : sourceItems.get(record);
    }
  }
}
