package io.github.mskproducer.spring.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** Which spring.kafka.producer.* properties the starter names as not read. */
class SpringKafkaSettingsTest {
  @Test
  void theProducerPropertiesSet_otherThanTheTransactionIdPrefix_areNamed_neverTheirValues() {
    MockEnvironment env =
        new MockEnvironment()
            .withProperty("spring.kafka.producer.acks", "1")
            .withProperty("spring.kafka.producer.bootstrap-servers", "other:9092")
            .withProperty("spring.kafka.producer.properties.sasl.jaas.config", "secret-jaas")
            .withProperty("spring.kafka.producer.transaction-id-prefix", "tx-")
            .withProperty("spring.kafka.consumer.group-id", "orders")
            .withProperty("spring.kafka.bootstrap-servers", "shared:9092");

    assertThat(SpringKafkaSettings.unreadProducerProperties(env))
        .containsExactly(
            "spring.kafka.producer.acks",
            "spring.kafka.producer.bootstrap-servers",
            "spring.kafka.producer.properties.sasl.jaas.config")
        .noneMatch(n -> n.contains("secret"));
  }

  @Test
  void nothingSet_nothingNamed() {
    assertThat(SpringKafkaSettings.unreadProducerProperties(new MockEnvironment())).isEmpty();
    assertThat(
            SpringKafkaSettings.unreadProducerProperties(
                new MockEnvironment().withProperty("spring.kafka.producer.transaction-id-prefix", "tx-")))
        .isEmpty();
  }
}
