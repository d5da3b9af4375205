package io.github.mskproducer.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import io.github.mskproducer.testkit.internal.broker.SystemPropertyCredentials;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Plain kafka-clients producers and consumers for the integration tests. */
final class KafkaClients {
  private KafkaClients() {}

  static KafkaProducer<String, String> producer(Properties base, Object... overrides) {
    Properties p = new Properties();
    p.putAll(base);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "20000");
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    for (int i = 0; i < overrides.length; i += 2) {
      p.put(overrides[i], overrides[i + 1]);
    }
    return new KafkaProducer<>(p);
  }

  static KafkaConsumer<String, String> consumer(Properties base, String group) {
    Properties p = new Properties();
    p.putAll(base);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return new KafkaConsumer<>(p);
  }

  /** Reads the topic from the start until {@code count} values arrived or the time is up. */
  static List<String> readValues(Properties base, String topic, int count, Duration timeout) {
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        consumer(base, "reader-" + topic + "-" + System.nanoTime())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (values.size() < count && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          values.add(r.value());
        }
      }
    }
    return values;
  }

  /** The sum of a client metric over all its tags, e.g. successful-reauthentication-total. */
  static double metricTotal(Map<MetricName, ? extends Metric> metrics, String name) {
    double total = 0;
    for (Map.Entry<MetricName, ? extends Metric> e : metrics.entrySet()) {
      if (e.getKey().name().equals(name) && e.getValue().metricValue() instanceof Double) {
        total += (Double) e.getValue().metricValue();
      }
    }
    return total;
  }

  /** The first throwable of this type in the cause chain, or null. */
  static <T extends Throwable> T causeOfType(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return null;
  }

  /**
   * Points the AWS SDK default chains at {@code identity} through system properties, as
   * LocalMskBroker#installCredentialsAsSystemProperties does for identities it knows; for
   * credentials the broker must refuse.
   */
  static LocalMskBroker.Restorable systemCredentials(TestIdentity identity, String region) {
    Map<String, String> saved = SystemPropertyCredentials.snapshot();
    SystemPropertyCredentials.apply(identity, region);
    return () -> SystemPropertyCredentials.restore(saved);
  }
}
