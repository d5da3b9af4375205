package io.github.mskproducer.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The PLAINTEXT and TLS listeners that stand in for MSK's ports 9092 and 9094, on a fixed port. */
class ExtraListenersIT {
  private static final int PORT = freePort();

  @RegisterExtension
  static final LocalMskBrokerExtension MSK =
      LocalMskBrokerExtension.perClass(
          b ->
              b.port(PORT)
                  .extraListeners(
                      LocalMskBroker.Listener.PLAINTEXT,
                      LocalMskBroker.Listener.TLS,
                      LocalMskBroker.Listener.SCRAM)
                  .topic("listeners", 1));

  @Test
  void fixedPort_isTheIamListenersPort() {
    assertThat(MSK.broker().bootstrapServers()).isEqualTo("localhost:" + PORT);
  }

  @Test
  void plaintextAndTlsListeners_acceptUnauthenticatedProducers_withHostnameVerification()
      throws Exception {
    LocalMskBroker msk = MSK.broker();
    for (LocalMskBroker.Listener listener :
        new LocalMskBroker.Listener[] {LocalMskBroker.Listener.PLAINTEXT, LocalMskBroker.Listener.TLS}) {
      assertThat(msk.connectionFacts()).containsKey("bootstrap_" + listener.name().toLowerCase());
      try (KafkaProducer<String, String> producer =
          KafkaClients.producer(
              msk.clientProperties(listener), "ssl.endpoint.identification.algorithm", "https")) {
        producer.send(new ProducerRecord<>("listeners", listener.name())).get(30, TimeUnit.SECONDS);
      }
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void scramListener_acceptsItsUsers_andRefusesWrongPasswords() throws Exception {
    LocalMskBroker msk = MSK.broker();
    msk.addScramUser("alice", "alice-secret");
    try (KafkaProducer<String, String> producer =
        KafkaClients.producer(msk.scramClientProperties("alice", "alice-secret"))) {
      producer.send(new ProducerRecord<>("listeners", "SCRAM")).get(30, TimeUnit.SECONDS);
    }
    try (KafkaProducer<String, String> wrong =
        KafkaClients.producer(msk.scramClientProperties("alice", "wrong"), "max.block.ms", "5000")) {
      Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> wrong.partitionsFor("listeners"));
      assertThat(KafkaClients.causeOfType(failure, org.apache.kafka.common.errors.SaslAuthenticationException.class))
          .isNotNull();
    }
  }
}
