package io.github.mskproducer.testkit.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The build runs these tests twice: with the kafka-clients the testkit is built with, and with
 * the lowest supported one in its place. This proves the swap happened.
 */
class KafkaClientsVersionTest {
  @Test
  void theTestClassPathHasTheKafkaClientsTheBuildAskedFor() {
    String expected = System.getProperty("kafka.clients.expected.version");
    assertThat(expected).as("set by the build for every test run").isNotBlank();
    assertThat(KafkaClientsVersion.get()).isEqualTo(expected);
  }

  @Test
  void atLeast_comparesMajorAndMinor() {
    assertThat(KafkaClientsVersion.atLeast("3.8.1", 3, 1)).isTrue();
    assertThat(KafkaClientsVersion.atLeast("4.0.0", 3, 1)).isTrue();
    assertThat(KafkaClientsVersion.atLeast("3.0.2", 3, 1)).isFalse();
    assertThat(KafkaClientsVersion.atLeast("2.8.2", 3, 1)).isFalse();
    assertThat(KafkaClientsVersion.atLeast("unknown", 3, 1)).isTrue();
  }
}
