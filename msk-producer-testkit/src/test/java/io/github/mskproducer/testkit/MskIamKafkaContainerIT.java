package io.github.mskproducer.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

/**
 * The Testcontainers path, for users who have Docker. No Docker engine runs on our machines or
 * in our CI, so here it is skipped with that reason.
 */
class MskIamKafkaContainerIT {
  @Test
  void container_authenticatesMskIamTokens() throws Exception {
    assumeTrue(
        DockerClientFactory.instance().isDockerAvailable(),
        "no Docker engine found: the Testcontainers variant (MskIamKafkaContainer) needs one;"
            + " LocalMskBroker covers the same contract without Docker");

    try (MskIamKafkaContainer kafka = new MskIamKafkaContainer()) {
      kafka.start();
      try (LocalMskBroker.Restorable creds = KafkaClients.systemCredentials(kafka.identity(), kafka.region());
          KafkaProducer<String, String> producer =
              KafkaClients.producer(kafka.mskIamClientProperties(), "enable.idempotence", "false")) {
        assertThat(producer.partitionsFor("container")).isNotEmpty();
        producer.send(new ProducerRecord<>("container", "v")).get(60, TimeUnit.SECONDS);
      }
    }
  }
}
