package io.github.mskproducer.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A broker restart keeps data, ports and identities; a live producer rides through it. */
class RestartIT {
  @RegisterExtension
  static final LocalMskBrokerExtension MSK =
      LocalMskBrokerExtension.perClass(b -> b.topic("restart", 1));

  @Test
  void restart_keepsDataPortsAndIdentities_andTheSameProducerCarriesOn() throws Exception {
    LocalMskBroker msk = MSK.broker();
    String bootstrap = msk.bootstrapServers();
    TestIdentity identity = msk.identity();
    try (LocalMskBroker.Restorable creds = msk.installCredentialsAsSystemProperties();
        KafkaProducer<String, String> producer =
            KafkaClients.producer(
                msk.mskIamClientProperties(), "max.block.ms", "60000", "delivery.timeout.ms", "90000")) {
      for (int i = 0; i < 10; i++) {
        producer.send(new ProducerRecord<>("restart", "before-" + i)).get(30, TimeUnit.SECONDS);
      }

      msk.restart();

      assertThat(msk.bootstrapServers()).isEqualTo(bootstrap);
      assertThat(msk.identity()).isEqualTo(identity);
      for (int i = 0; i < 10; i++) {
        producer.send(new ProducerRecord<>("restart", "after-" + i)).get(60, TimeUnit.SECONDS);
      }
      assertThat(
              KafkaClients.readValues(msk.mskIamClientProperties(), "restart", 20, Duration.ofSeconds(60)))
          .hasSize(20)
          .contains("before-0", "after-9");
    }
  }

  @Test
  void givenDataDirectory_isKept_andASecondBrokerReusesClusterIdentitiesAndData(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    TestIdentity identity;
    try (LocalMskBroker first = LocalMskBroker.builder().dataDir(dir).topic("kept", 1).start();
        LocalMskBroker.Restorable creds = first.installCredentialsAsSystemProperties();
        KafkaProducer<String, String> producer = KafkaClients.producer(first.mskIamClientProperties())) {
      identity = first.identity();
      producer.send(new ProducerRecord<>("kept", "from-the-first-broker")).get(30, TimeUnit.SECONDS);
    }
    assertThat(dir.resolve("cluster.properties")).exists();

    try (LocalMskBroker second = LocalMskBroker.builder().dataDir(dir).start();
        LocalMskBroker.Restorable creds = second.installCredentialsAsSystemProperties()) {
      assertThat(second.identity()).isEqualTo(identity);
      assertThat(
              KafkaClients.readValues(second.mskIamClientProperties(), "kept", 1, Duration.ofSeconds(60)))
          .containsExactly("from-the-first-broker");
    }
  }
}
