package io.github.mskproducer.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An SQS-triggered Lambda handler that produces to MSK and answers with a partial batch
 * response: only the messages whose records failed (or whose handling threw) are retried by
 * Lambda. The event source mapping needs {@code FunctionResponseTypes: [ReportBatchItemFailures]}.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public abstract class SqsMskProducerHandler<K, V>
    implements RequestHandler<SQSEvent, SQSBatchResponse> {
  private static final Logger LOG = LoggerFactory.getLogger(SqsMskProducerHandler.class);

  /**
   * Sends the records of one SQS message.
   *
   * @param <K> the key type
   * @param <V> the value type
   */
  @FunctionalInterface
  public interface MessageSender<K, V> {
    /**
     * Sends a record that belongs to the current message.
     *
     * @param record the record
     * @return completes with the acknowledgement or an {@code MskProducerException}
     */
    CompletableFuture<RecordMetadata> send(ProducerRecord<K, V> record);
  }

  /** For subclasses. */
  protected SqsMskProducerHandler() {}

  /**
   * The producer of this execution environment: return the same instance every time.
   *
   * @return the producer
   */
  protected abstract LambdaProducer<K, V> producer();

  /**
   * Handles one message, sending its records through {@code sender}. If it throws, the message
   * is reported as failed (and Lambda retries it); the others go on.
   *
   * @param message the SQS message
   * @param sender sends records on behalf of this message
   * @throws Exception to fail this message
   */
  protected abstract void handleMessage(SQSEvent.SQSMessage message, MessageSender<K, V> sender)
      throws Exception;

  @Override
  public final SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    Set<String> failedInHandler = new LinkedHashSet<>();
    InvocationResult<K, V, Void> result =
        producer()
            .invoke(
                context,
                inv -> {
                  for (SQSEvent.SQSMessage m : event.getRecords()) {
                    try {
                      handleMessage(m, r -> inv.send(r, m.getMessageId()));
                    } catch (Exception e) {
                      LOG.debug("message {} failed in the handler: {}", m.getMessageId(), e.toString());
                      failedInHandler.add(m.getMessageId());
                    }
                  }
                  return null;
                });
    Set<String> failed = new LinkedHashSet<>(failedInHandler);
    failed.addAll(result.failedSourceItems());
    List<SQSBatchResponse.BatchItemFailure> items = new ArrayList<>();
    failed.forEach(id -> items.add(new SQSBatchResponse.BatchItemFailure(id)));
    return new SQSBatchResponse(items);
  }
}
