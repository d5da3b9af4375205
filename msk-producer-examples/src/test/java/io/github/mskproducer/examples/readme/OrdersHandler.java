package io.github.mskproducer.examples.readme;

// README:start
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.github.mskproducer.lambda.LambdaProducer;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;

public class OrdersHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
  private final LambdaProducer<String, String> producer;
  private final String topic;

  /** Lambda creates the handler once per execution environment, during init. */
  public OrdersHandler() {
    this(System.getenv()); // MSK_BOOTSTRAP_SERVERS, ORDERS_TOPIC; Lambda adds region and role
  }

  /** Tests pass the local broker's environment. */
  OrdersHandler(Map<String, String> environment) {
    this.topic = environment.getOrDefault("ORDERS_TOPIC", "orders");
    this.producer =
        LambdaProducer.builder(String.class, String.class)
            .producer(b -> b.fromEnvironment(environment))
            .prewarm(topic) // topic metadata fetched before the first invocation
            .build();
  }

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    return producer
        .invoke(
            context,
            invocation -> {
              for (SQSEvent.SQSMessage m : event.getRecords()) {
                invocation.send(
                    new ProducerRecord<>(topic, m.getMessageId(), m.getBody()), m.getMessageId());
              }
              return null;
            })
        .sqsBatchResponse(); // Lambda retries only the messages whose records failed
  }

  /** Lambda never calls it (the producer flushes and closes at shutdown); tests do. */
  void close() {
    producer.close();
  }
}
// README:end
