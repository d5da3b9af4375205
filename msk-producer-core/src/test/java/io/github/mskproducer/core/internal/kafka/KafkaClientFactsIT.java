package io.github.mskproducer.core.internal.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.LocalMskBrokerExtension;
import io.github.mskproducer.testkit.internal.broker.KafkaClientsVersion;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Each fact {@link KafkaClientFacts} holds about kafka-clients, checked against the kafka-clients
 * on the class path and a real broker. The build runs it with 3.8.1 and 4.4.0 (and the
 * compatibility matrix with every supported version): if Kafka changes one, this fails here.
 */
@ExtendWith(LocalMskBrokerExtension.class)
class KafkaClientFactsIT {
  private final LocalMskBroker msk;

  KafkaClientFactsIT(LocalMskBroker msk) {
    this.msk = msk;
  }

  @BeforeAll
  static void sayWhichVersion() {
    System.out.println("kafka-clients on the class path: " + KafkaClientsVersion.get());
  }

  private KafkaProducer<String, String> producer(boolean idempotence) {
    Properties p = msk.mskIamClientProperties();
    p.put("enable.idempotence", Boolean.toString(idempotence));
    p.put("acks", idempotence ? "all" : "1");
    return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
  }

  @Test
  void theProducerIdOfAnIdempotentProducer_isReadable() throws Exception {
    msk.createTopic("facts", 1);
    try (LocalMskBroker.Restorable creds = msk.installCredentialsAsSystemProperties();
        KafkaProducer<String, String> idempotent = producer(true);
        KafkaProducer<String, String> plain = producer(false)) {
      idempotent.send(new ProducerRecord<>("facts", "v")).get(30, TimeUnit.SECONDS);
      plain.send(new ProducerRecord<>("facts", "v")).get(30, TimeUnit.SECONDS);

      assertThat(KafkaClientFacts.hasProducerId(idempotent))
          .as("KafkaProducer.transactionManager.hasProducerId() in kafka-clients %s", KafkaClientsVersion.get())
          .contains(true);
      assertThat(KafkaClientFacts.hasProducerId(plain)).isNotEqualTo(java.util.Optional.of(true));
    }
  }

  @Test
  void theConnectionMetrics_existUnderTheirNames_andCount() throws Exception {
    msk.createTopic("facts", 1);
    try (LocalMskBroker.Restorable creds = msk.installCredentialsAsSystemProperties();
        KafkaProducer<String, String> producer = producer(true)) {
      producer.send(new ProducerRecord<>("facts", "v")).get(30, TimeUnit.SECONDS);
      assertThat(producer.metrics().keySet())
          .extracting(m -> m.name())
          .containsAll(KafkaClientFacts.METRIC_NAMES);
      KafkaClientFacts.Connections c = KafkaClientFacts.connections(producer.metrics());
      assertThat(c.created).isPositive();
      assertThat(c.authenticated).isPositive();
      assertThat(c.failedAuthentications).isZero();
    }
  }

  @Test
  void aClosedProducer_saysSoInTheWordsWeMatch() {
    KafkaProducer<String, String> producer;
    try (LocalMskBroker.Restorable creds = msk.installCredentialsAsSystemProperties()) {
      producer = producer(false);
    }
    producer.close(Duration.ZERO);
    assertThatThrownBy(() -> producer.send(new ProducerRecord<>("facts", "v")))
        .satisfies(e -> assertThat(KafkaClientFacts.isProducerClosed(e)).as(e.toString()).isTrue());
  }

  @Test
  void aPortWithoutSasl_namesTheEnabledMechanisms() {
    try (LocalMskBroker tls = LocalMskBroker.builder().extraListeners(LocalMskBroker.Listener.TLS).start();
        LocalMskBroker.Restorable creds = tls.installCredentialsAsSystemProperties()) {
      Properties p = tls.mskIamClientProperties();
      p.put("bootstrap.servers", tls.bootstrapServers(LocalMskBroker.Listener.TLS));
      p.put("max.block.ms", "10000");
      try (KafkaProducer<String, String> producer =
          new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
        assertThatThrownBy(() -> producer.partitionsFor("facts"))
            .satisfies(
                e ->
                    assertThat(KafkaClientFacts.enabledMechanisms(String.valueOf(e.getMessage())))
                        .as(e.toString())
                        .contains(java.util.List.of()));
      }
    }
  }

  @Test
  void theSendPathClasses_allExist() {
    for (String name : KafkaClientFacts.SEND_PATH_CLASSES) {
      assertThat(name)
          .as("in kafka-clients %s", KafkaClientsVersion.get())
          .satisfies(n -> Class.forName(n, false, KafkaProducer.class.getClassLoader()));
    }
  }

  @Test
  void theMessageTexts_areRecognized() {
    assertThat(KafkaClientFacts.isTooManyConnects(new RuntimeException("x", new RuntimeException("Too many connects")))).isTrue();
    assertThat(KafkaClientFacts.enabledMechanisms("Client SASL mechanism 'OAUTHBEARER' not enabled in the server, enabled mechanisms are [SCRAM-SHA-512, PLAIN]"))
        .contains(java.util.List.of("SCRAM-SHA-512", "PLAIN"));
    assertThat(KafkaClientFacts.enabledMechanisms("something else")).isEmpty();
  }

  @Test
  void anIdempotentProducerAfterAFatalError_saysSo_byTheCauseOrTheErrorStateText() throws Exception {
    msk.createTopic("facts", 1);
    String name = "facts-no-idempotence-" + System.nanoTime();
    msk.addIdentity(name);
    msk.deny(
        name,
        AclOperation.IDEMPOTENT_WRITE,
        new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL));
    try (LocalMskBroker.Restorable creds = msk.installCredentialsAsSystemProperties(name);
        KafkaProducer<String, String> producer = producer(true)) {
      Throwable first = failureOf(producer);
      Throwable second = failureOf(producer);
      assertThat(first).as("the first send").isNotNull();
      assertThat(second).as("a send after the fatal error").isNotNull();
      // 3.8 repeats the fatal cause; 4.x wraps it in "... in an error state": either is seen.
      assertThat(
              KafkaClientFacts.isErrorState(second)
                  || hasCause(second, org.apache.kafka.common.errors.ClusterAuthorizationException.class))
          .as("%s / %s", first, second)
          .isTrue();
    }
  }

  private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }

  private static Throwable failureOf(KafkaProducer<String, String> producer) {
    try {
      producer.send(new ProducerRecord<>("facts", "v")).get(30, TimeUnit.SECONDS);
      return null;
    } catch (Exception e) {
      return e;
    }
  }
}
