package io.github.mskproducer.reliability;

import io.github.mskproducer.core.MskProducer;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/** Kafka client metrics of a producer. */
final class Metrics {
  private Metrics() {}

  /** The sum of a metric over its tags, e.g. successful-reauthentication-total. */
  static double sum(MskProducer<?, ?> producer, String name) {
    double total = 0;
    for (Map.Entry<MetricName, ? extends Metric> e : producer.metrics().entrySet()) {
      if (e.getKey().name().equals(name) && e.getValue().metricValue() instanceof Double) {
        total += (Double) e.getValue().metricValue();
      }
    }
    return total;
  }
}
