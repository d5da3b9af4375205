package io.github.mskproducer.benchmarks.internal.handwired;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * The hand-wired equivalent of the example {@code OrdersSqsHandler}, for the footprint
 * comparison: SQS orders as JSON to a topic with partial batch failures, on a static {@code
 * KafkaProducer} with aws-msk-iam-auth, flushed at the end of each invocation.
 */
public class HandWiredOrdersHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final KafkaProducer<String, String> PRODUCER = HandWired.fromEnvironment();
  private static final String TOPIC = System.getenv().getOrDefault("ORDERS_TOPIC", "orders");

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    Map<String, Future<RecordMetadata>> sent = new LinkedHashMap<>();
    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    for (SQSEvent.SQSMessage m : event.getRecords()) {
      try {
        JsonNode order = JSON.readTree(m.getBody());
        String id = order.path("orderId").asText("");
        if (id.isEmpty()) {
          throw new IllegalArgumentException("no orderId");
        }
        sent.put(m.getMessageId(), PRODUCER.send(new ProducerRecord<>(TOPIC, id, m.getBody())));
      } catch (Exception e) {
        failures.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
      }
    }
    PRODUCER.flush();
    sent.forEach(
        (id, f) -> {
          try {
            f.get();
          } catch (ExecutionException e) {
            failures.add(new SQSBatchResponse.BatchItemFailure(id));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failures.add(new SQSBatchResponse.BatchItemFailure(id));
          }
        });
    return new SQSBatchResponse(failures);
  }
}
