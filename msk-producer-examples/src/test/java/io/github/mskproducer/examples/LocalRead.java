package io.github.mskproducer.examples;

import io.github.mskproducer.core.MskAuth;
import io.github.mskproducer.core.MskProducer;
import io.github.mskproducer.testkit.LocalMskBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a topic of the local broker back, over IAM, for assertions. */
final class LocalRead {
  private LocalRead() {}

  /** Reads from the start until {@code count} records arrived (and a little more, to see extras). */
  static List<ConsumerRecord<String, String>> records(LocalMskBroker msk, String topic, int count) {
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    try (MskProducer<String, String> auth =
        MskProducer.builder(String.class, String.class)
            .bootstrapServers(msk.bootstrapServers())
            .region(msk.region())
            .truststore(msk.truststorePem())
            .auth(MskAuth.iam(c -> c.credentialsProvider(msk.credentialsProvider())))
            .build()) {
      Map<String, Object> props = auth.clientProperties();
      props.put("group.id", "read-" + topic + "-" + System.nanoTime());
      props.put("auto.offset.reset", "earliest");
      try (KafkaConsumer<String, String> consumer =
          new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
        consumer.subscribe(List.of(topic));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (records.size() < count && System.nanoTime() < deadline) {
          consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        consumer.poll(Duration.ofMillis(500)).forEach(records::add);
      }
    }
    return records;
  }

  /** The orders in a topic, in the order read. */
  static List<Order> orders(LocalMskBroker msk, String topic, int count) {
    List<Order> orders = new ArrayList<>();
    records(msk, topic, count).forEach(r -> orders.add(Order.fromJson(r.value())));
    return orders;
  }
}
