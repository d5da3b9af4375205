package io.github.mskproducer.reliability;

import io.github.mskproducer.testkit.LocalMskBroker;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What really arrived: a plain Kafka consumer on the broker's internal listener (not our code,
 * not IAM) reads every partition of the topic from the start to its end offset and counts, per
 * id of one run, how many times it is in the log.
 */
final class Arrivals {
  private Arrivals() {}

  static Map<Long, Integer> read(LocalMskBroker msk, String topic, String run, Duration timeout) {
    String prefix = run + ":";
    Map<Long, Integer> counts = new HashMap<>();
    readAll(
        msk,
        topic,
        timeout,
        v -> {
          if (v != null && v.startsWith(prefix)) {
            int colon = v.indexOf(':', prefix.length());
            counts.merge(Long.parseLong(v.substring(prefix.length(), colon)), 1, Integer::sum);
          }
        });
    return counts;
  }

  private static void readAll(LocalMskBroker msk, String topic, Duration timeout, java.util.function.Consumer<String> each) {
    Properties p = msk.adminProperties();
    p.put("key.deserializer", StringDeserializer.class.getName());
    p.put("value.deserializer", StringDeserializer.class.getName());
    p.put("client.id", "arrivals-" + topic);
    p.put("enable.auto.commit", "false");
    p.put("max.poll.records", "5000");
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, timeout).stream()
              .map(i -> new TopicPartition(i.topic(), i.partition()))
              .collect(Collectors.toList());
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!reached(consumer, end)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("could not read " + topic + " to its end offsets " + end + " in " + timeout);
        }
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          each.accept(r.value());
        }
      }
    }
  }

  /** Every value in the topic, with how many times it is there. */
  static Map<String, Integer> values(LocalMskBroker msk, String topic, Duration timeout) {
    Map<String, Integer> counts = new HashMap<>();
    readAll(msk, topic, timeout, v -> counts.merge(v, 1, Integer::sum));
    return counts;
  }

  private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }
}
