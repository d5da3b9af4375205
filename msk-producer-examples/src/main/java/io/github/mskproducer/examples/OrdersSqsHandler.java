package io.github.mskproducer.examples;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.github.mskproducer.core.JsonSerializer;
import io.github.mskproducer.core.MskProducerBuilder;
import io.github.mskproducer.lambda.LambdaProducer;
import io.github.mskproducer.lambda.SqsMskProducerHandler;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Example Lambda function: SQS messages (one order as JSON each) to an MSK topic, with partial
 * batch failures. Copy it.
 *
 * <ul>
 *   <li>One {@link LambdaProducer} per execution environment, built when Lambda creates the
 *       handler (during init, at full CPU), kept across invocations; it recycles its connections
 *       after long freezes and flushes before each invocation returns.
 *   <li>A message that is not a valid order, or whose record MSK did not acknowledge within
 *       the invocation, is reported in {@code batchItemFailures}: Lambda retries only those, and
 *       after the queue's {@code maxReceiveCount} SQS moves them to the dead-letter queue. The
 *       event source mapping needs {@code FunctionResponseTypes: [ReportBatchItemFailures]}
 *       (see {@code template.yaml}).
 * </ul>
 *
 * <p>Environment: {@code MSK_BOOTSTRAP_SERVERS} (and any other {@code MSK_*} variable of {@link
 * MskProducerBuilder#fromEnvironment()}), {@value #TOPIC_VARIABLE} (default {@value
 * #DEFAULT_TOPIC}); Lambda sets {@code AWS_REGION} and the credentials of the function's role.
 */
public class OrdersSqsHandler extends SqsMskProducerHandler<String, Order> {
  /** The environment variable naming the topic. */
  public static final String TOPIC_VARIABLE = "ORDERS_TOPIC";
  /** The topic when {@value #TOPIC_VARIABLE} is not set. */
  public static final String DEFAULT_TOPIC = "orders";

  private final LambdaProducer<String, Order> producer;
  private final String topic;

  /** The constructor Lambda calls: configured by the function's environment variables. */
  public OrdersSqsHandler() {
    this(System.getenv(), b -> {});
  }

  /**
   * A handler configured by these variables, then by {@code customize}.
   *
   * @param environment the variables
   * @param customize more producer settings (for tests: the local broker's truststore)
   */
  protected OrdersSqsHandler(
      Map<String, String> environment, Consumer<MskProducerBuilder<String, Order>> customize) {
    this.topic = environment.getOrDefault(TOPIC_VARIABLE, DEFAULT_TOPIC);
    this.producer =
        LambdaProducer.builder(new StringSerializer(), new JsonSerializer<Order>(Order.JSON))
            .environment(environment) // MSK_LAMBDA_* tune the Lambda settings
            .producer(b -> customize.accept(b.fromEnvironment(environment)))
            .prewarm(topic)
            .build();
  }

  @Override
  protected LambdaProducer<String, Order> producer() {
    return producer;
  }

  /**
   * The topic records go to.
   *
   * @return the topic
   */
  protected String topic() {
    return topic;
  }

  @Override
  protected void handleMessage(SQSEvent.SQSMessage message, MessageSender<String, Order> sender) {
    Order order = Order.fromJson(message.getBody()); // throws: this message fails, the rest go on
    sender.send(new ProducerRecord<>(topic, order.orderId(), order));
  }
}
