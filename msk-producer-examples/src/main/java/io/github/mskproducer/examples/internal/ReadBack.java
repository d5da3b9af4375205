package io.github.mskproducer.examples.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads one run back: a consumer (no group, nothing committed) reads each partition from the
 * smallest to the largest offset the run was acknowledged at, and counts the distinct sequence
 * numbers of the run's records.
 */
public final class ReadBack {
  private ReadBack() {}

  /**
   * Counts the run's records found in the topic.
   *
   * @param clientProperties connection properties (from {@code MskProducer.clientProperties()})
   * @param offsets partition to {min, max} acknowledged offset
   * @param runId the run's id
   * @param timeout how long to read at most
   * @return the number of distinct records of the run read back
   */
  public static long count(
      Map<String, Object> clientProperties,
      Map<TopicPartition, long[]> offsets,
      String runId,
      Duration timeout) {
    if (offsets.isEmpty()) {
      return 0;
    }
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "msk-producer-read-back");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
    byte[] run = runId.getBytes(StandardCharsets.UTF_8);
    BitSet seen = new BitSet();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(offsets.keySet());
      offsets.forEach((tp, range) -> consumer.seek(tp, range[0]));
      Map<TopicPartition, Long> remaining = new HashMap<>();
      offsets.forEach((tp, range) -> remaining.put(tp, range[1]));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!remaining.isEmpty() && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          Header h = r.headers().lastHeader(Sender.RUN_HEADER);
          Header seq = r.headers().lastHeader(Sender.SEQ_HEADER);
          if (h != null && seq != null && Arrays.equals(h.value(), run) && seq.value().length == 8) {
            long n = ByteBuffer.wrap(seq.value()).getLong();
            if (n >= 0 && n < Integer.MAX_VALUE) {
              seen.set((int) n);
            }
          }
          TopicPartition tp = new TopicPartition(r.topic(), r.partition());
          Long last = remaining.get(tp);
          if (last != null && r.offset() >= last) {
            remaining.remove(tp);
          }
        }
      }
    }
    return seen.cardinality();
  }
}
