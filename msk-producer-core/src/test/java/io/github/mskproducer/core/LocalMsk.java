package io.github.mskproducer.core;

import io.github.mskproducer.testkit.LocalMskBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Producers for the local MSK broker, and a consumer to read back what they wrote. */
final class LocalMsk {
  private LocalMsk() {}

  /** A producer builder for this broker: its bootstrap, region, certificate and test identity. */
  static MskProducerBuilder<String, String> producer(LocalMskBroker msk) {
    return MskProducer.builder(String.class, String.class)
        .bootstrapServers(msk.bootstrapServers())
        .region(msk.region())
        .truststore(msk.truststorePem())
        .auth(MskAuth.iam(c -> c.credentialsProvider(msk.credentialsProvider())));
  }

  /** Reads the topic from the start until {@code count} values arrived or the time is up. */
  static List<String> readValues(LocalMskBroker msk, String topic, int count, Duration timeout) {
    Properties p = msk.mskIamClientProperties();
    p.put("key.deserializer", StringDeserializer.class.getName());
    p.put("value.deserializer", StringDeserializer.class.getName());
    p.put("group.id", "reader-" + topic + "-" + System.nanoTime());
    p.put("auto.offset.reset", "earliest");
    List<String> values = new ArrayList<>();
    try (LocalMskBroker.Restorable creds = msk.installCredentialsAsSystemProperties();
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (values.size() < count && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          values.add(r.value());
        }
      }
      // a little longer, to see duplicates beyond the expected count
      for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
        values.add(r.value());
      }
    }
    return values;
  }

  /** The sum of a producer metric over its tags, e.g. successful-reauthentication-total. */
  static double metric(MskProducer<?, ?> producer, String name) {
    double total = 0;
    for (Map.Entry<MetricName, ? extends Metric> e : producer.metrics().entrySet()) {
      if (e.getKey().name().equals(name) && e.getValue().metricValue() instanceof Double) {
        total += (Double) e.getValue().metricValue();
      }
    }
    return total;
  }
}
