package io.github.mskproducer.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Bad builder input fails at once, naming the option; no broker is started here. */
class LocalMskBrokerBuilderTest {
  @Test
  void setters_rejectBadValues_namingTheOption() {
    LocalMskBrokerBuilder b = LocalMskBroker.builder();

    assertThatThrownBy(() -> b.region("US_EAST_1")).hasMessageContaining("region 'US_EAST_1'");
    assertThatThrownBy(() -> b.brokers(0)).hasMessageContaining("brokers must be 1 to 9");
    assertThatThrownBy(() -> b.port(80)).hasMessageContaining("port must be 0");
    assertThatThrownBy(() -> b.clockSkewAllowance(Duration.ofSeconds(-1)))
        .hasMessageContaining("clockSkewAllowance");
    assertThatThrownBy(() -> b.maxTokenLifetime(Duration.ZERO))
        .hasMessageContaining("maxTokenLifetime");
    assertThatThrownBy(() -> b.iamConnectionRateLimit(-5))
        .hasMessageContaining("iamConnectionRateLimit");
    assertThatThrownBy(() -> b.connectionsMaxReauth(Duration.ofMillis(10)))
        .hasMessageContaining("connectionsMaxReauth");
    assertThatThrownBy(() -> b.connectionsMaxIdle(Duration.ofMillis(10)))
        .hasMessageContaining("connectionsMaxIdle");
    assertThatThrownBy(() -> b.topic("bad name", 1)).hasMessageContaining("topic name 'bad name'");
    assertThatThrownBy(() -> b.topic("orders", 0)).hasMessageContaining("partitions of topic orders");
    assertThatThrownBy(() -> b.startupTimeout(Duration.ZERO)).hasMessageContaining("startupTimeout");
    assertThatThrownBy(() -> b.region(null)).isInstanceOf(NullPointerException.class).hasMessage("region");
  }

  @Test
  void identity_addedTwiceByName_isRejected() {
    LocalMskBrokerBuilder b = LocalMskBroker.builder().identity(TestIdentity.random("writer"));

    assertThatThrownBy(() -> b.identity(TestIdentity.random("writer")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("identity 'writer' was added twice");
  }

  @Test
  void build_withPortRangePastTheEnd_failsNamingBothOptions() {
    assertThatThrownBy(() -> LocalMskBroker.builder().port(65535).brokers(3).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("port 65535 with brokers 3");
  }

  @Test
  void build_makesTheDefaultIdentity_andConnectionFactsWithoutStarting() {
    try (LocalMskBroker msk = LocalMskBroker.builder().region("eu-west-1").build()) {
      assertThat(msk.isRunning()).isFalse();
      assertThat(msk.identity().name()).isEqualTo(LocalMskBroker.DEFAULT_IDENTITY);
      assertThat(msk.region()).isEqualTo("eu-west-1");
      assertThat(msk.bootstrapServers()).startsWith("localhost:");
      assertThat(msk.connectionFacts())
          .containsKeys(
              "bootstrap",
              "region",
              "aws_access_key_id",
              "aws_secret_access_key",
              "truststore_pem",
              "truststore_p12",
              "truststore_password");
      assertThat(msk.truststorePem()).exists();
      assertThat(msk.toString()).doesNotContain(msk.identity().secretAccessKey());
      assertThatThrownBy(msk::admin).isInstanceOf(LocalMskException.class).hasMessageContaining("start()");
      assertThatThrownBy(() -> msk.bootstrapServers(LocalMskBroker.Listener.PLAINTEXT))
          .isInstanceOf(LocalMskException.class)
          .hasMessageContaining("extraListeners(Listener.PLAINTEXT)");
    }
  }

  @Test
  void aKafkaClientsTooOldForTheTestkitsAdminCalls_isRefusedInOneMessageNamingTheVersionsAndTheFix() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> LocalMskBroker.checkClients("2.8.2"))
        .isInstanceOf(LocalMskException.class)
        .hasMessageContaining("kafka-clients 2.8.2")
        .hasMessageContaining("3.1 or newer")
        .hasMessageContaining("tested: 3.8 to 4.4")
        .hasMessageContaining("put a newer org.apache.kafka:kafka-clients in test scope");
    LocalMskBroker.checkClients("3.8.1");
    LocalMskBroker.checkClients("4.4.0");
  }
}
