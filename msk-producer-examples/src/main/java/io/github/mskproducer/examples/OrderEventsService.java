package io.github.mskproducer.examples;

import io.github.mskproducer.core.FlushResult;
import io.github.mskproducer.core.JsonSerializer;
import io.github.mskproducer.core.MskProducer;
import io.github.mskproducer.core.MskProducerBuilder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Example: a long-running service (a web application, a worker) that publishes order events to
 * MSK. Copy it: one producer for the whole process, shared by every thread; sends that do not
 * block the caller; a bounded drain at shutdown that says what was not delivered.
 *
 * <p>Configuration comes from the environment: {@code MSK_BOOTSTRAP_SERVERS}, {@code
 * AWS_REGION} (or the region in the broker names), credentials from the AWS SDK's default chain,
 * and {@value #TOPIC_VARIABLE} (default {@value #DEFAULT_TOPIC}). Run it with {@code java -cp
 * msk-producer.jar io.github.mskproducer.examples.OrderEventsService < orders.jsonl}: it
 * publishes one order per input line.
 */
public final class OrderEventsService implements AutoCloseable {
  /** The environment variable naming the topic. */
  public static final String TOPIC_VARIABLE = "ORDERS_TOPIC";
  /** The topic when {@value #TOPIC_VARIABLE} is not set. */
  public static final String DEFAULT_TOPIC = "orders";

  private static final Logger LOG = LoggerFactory.getLogger(OrderEventsService.class);
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);

  private final MskProducer<String, Order> producer;
  private final String topic;

  /**
   * A service publishing through this producer.
   *
   * @param producer the producer; the service closes it
   * @param topic the topic
   */
  public OrderEventsService(MskProducer<String, Order> producer, String topic) {
    this.producer = Objects.requireNonNull(producer, "producer");
    this.topic = Objects.requireNonNull(topic, "topic");
  }

  /**
   * A service configured by the process environment.
   *
   * @return the service
   */
  public static OrderEventsService fromEnvironment() {
    return fromEnvironment(System.getenv(), b -> {});
  }

  /**
   * A service configured by these variables, then by {@code customize} (for what the
   * environment does not say, e.g. a truststore in tests).
   *
   * @param environment the variables
   * @param customize more producer settings
   * @return the service
   */
  public static OrderEventsService fromEnvironment(
      Map<String, String> environment, Consumer<MskProducerBuilder<String, Order>> customize) {
    MskProducerBuilder<String, Order> builder =
        MskProducer.builder(new StringSerializer(), new JsonSerializer<Order>(Order.JSON))
            .fromEnvironment(environment);
    customize.accept(builder);
    return new OrderEventsService(builder.build(), environment.getOrDefault(TOPIC_VARIABLE, DEFAULT_TOPIC));
  }

  /**
   * Publishes an order event. Does not wait: the future completes when MSK acknowledged it
   * (with acks=all, on every in-sync replica) or fails with an {@code MskProducerException}
   * saying why. Do not block a request thread on it unless the caller must know.
   *
   * @param order the order
   * @return the acknowledgement
   */
  public CompletableFuture<RecordMetadata> publish(Order order) {
    return producer.send(new ProducerRecord<>(topic, order.orderId(), order));
  }

  /**
   * Waits (at most {@code timeout}) for every event published so far.
   *
   * @param timeout how long to wait
   * @return acknowledged, failed and still pending events
   */
  public FlushResult<String, Order> drain(Duration timeout) {
    return producer.flush(timeout);
  }

  /**
   * Drains for at most 30 seconds, logs every event that was not delivered, and closes the
   * producer. Call it from the service's shutdown (a shutdown hook, a framework's stop).
   */
  @Override
  public void close() {
    FlushResult<String, Order> result = producer.flush(DRAIN_TIMEOUT);
    result.failed().forEach(f -> LOG.error("order event not delivered: {}", f));
    result.pending().forEach(r -> LOG.error("order event {} still pending at shutdown", r.key()));
    producer.close(Duration.ofSeconds(5));
  }

  /**
   * Publishes one order (JSON) per line of standard input, then drains and exits: 0 when every
   * order was acknowledged, 1 otherwise.
   *
   * @param args none
   * @throws Exception if standard input cannot be read
   */
  public static void main(String[] args) throws Exception {
    AtomicLong acknowledged = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    long invalid = 0;
    try (OrderEventsService service = fromEnvironment();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        Order order;
        try {
          order = Order.fromJson(line);
        } catch (IllegalArgumentException e) {
          LOG.error("skipped an input line: {}", e.getMessage());
          invalid++;
          continue;
        }
        service.publish(order).whenComplete((md, e) -> (e == null ? acknowledged : failed).incrementAndGet());
      }
    }
    System.out.printf("acknowledged %d, failed %d, invalid %d%n", acknowledged.get(), failed.get(), invalid);
    System.exit(failed.get() == 0 && invalid == 0 ? 0 : 1);
  }
}
