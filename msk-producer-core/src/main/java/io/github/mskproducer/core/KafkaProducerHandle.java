package io.github.mskproducer.core;

import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * A Kafka producer that an {@link MskProducer} runs on, as a listener may see it: its client id
 * and its metrics, nothing that sends. One per Kafka producer (compare by identity): a start-up
 * restart or a Lambda recycle makes a new one, possibly with the same client id.
 */
public interface KafkaProducerHandle {
  /**
   * The Kafka producer's {@code client.id}.
   *
   * @return the client id
   */
  String clientId();

  /**
   * The Kafka producer's metrics ({@code KafkaProducer.metrics()}), live until it closes.
   *
   * @return the metrics
   */
  Map<MetricName, ? extends Metric> metrics();
}
