package io.github.mskproducer.core.internal.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pure logic: the properties that leave Kafka's JMX reporter out, per Kafka generation. */
class JmxReporterPropertiesTest {
  @Test
  void kafka3NeedsTheAutoIncludeSwitchToo_kafka4HasNoSuchProperty() {
    assertThat(KafkaClientFacts.withoutJmxReporter("3.8.1"))
        .isEqualTo(Map.of("metric.reporters", "", "auto.include.jmx.reporter", "false"));
    assertThat(KafkaClientFacts.withoutJmxReporter("3.9.2"))
        .containsEntry("auto.include.jmx.reporter", "false");
    assertThat(KafkaClientFacts.withoutJmxReporter("4.0.0")).isEqualTo(Map.of("metric.reporters", ""));
    assertThat(KafkaClientFacts.withoutJmxReporter("4.4.0")).isEqualTo(Map.of("metric.reporters", ""));
    // unknown: Kafka 4's form (naming a removed property would only log a warning)
    assertThat(KafkaClientFacts.withoutJmxReporter("unknown")).isEqualTo(Map.of("metric.reporters", ""));
  }
}
