package io.github.mskproducer.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.LocalMskBrokerExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** TLS only, SCRAM and PLAINTEXT, on the local broker's extra listeners (MSK's 9094, 9096, 9092). */
class OtherMechanismsIT {
  @RegisterExtension
  static final LocalMskBrokerExtension MSK =
      LocalMskBrokerExtension.perClass(
          b ->
              b.extraListeners(
                      LocalMskBroker.Listener.TLS,
                      LocalMskBroker.Listener.SCRAM,
                      LocalMskBroker.Listener.PLAINTEXT)
                  .topic("mechanisms", 1));

  private static MskProducer<String, String> producer(String bootstrap, MskAuth auth) {
    return MskProducer.builder(String.class, String.class)
        .bootstrapServers(bootstrap)
        .auth(auth)
        .truststore(MSK.broker().truststorePem())
        .build();
  }

  @Test
  void tls_andPlaintext_produce() {
    LocalMskBroker msk = MSK.broker();
    try (MskProducer<String, String> tls =
            producer(msk.bootstrapServers(LocalMskBroker.Listener.TLS), MskAuth.tls());
        MskProducer<String, String> plaintext =
            producer(msk.bootstrapServers(LocalMskBroker.Listener.PLAINTEXT), MskAuth.plaintext())) {
      assertThat(tls.sendAndWait("mechanisms", "k", "tls", Duration.ofSeconds(30))).isNotNull();
      assertThat(plaintext.sendAndWait("mechanisms", "k", "plaintext", Duration.ofSeconds(30)))
          .isNotNull();
      assertThat(tls.region()).isNull();
    }
    assertThat(LocalMsk.readValues(msk, "mechanisms", 2, Duration.ofSeconds(60)))
        .containsExactlyInAnyOrder("tls", "plaintext");
  }

  @Test
  void scram_produces() {
    org.junit.jupiter.api.Assumptions.assumeFalse(
        scramBrokenHere(), "SCRAM cannot work on this kafka-clients and Java: see the test below");
    LocalMskBroker msk = MSK.broker();
    msk.createTopic("mechanisms-scram", 1);
    msk.addScramUser("orders-service", "pa\"ss\\word");
    try (MskProducer<String, String> scram =
        producer(
            msk.bootstrapServers(LocalMskBroker.Listener.SCRAM),
            MskAuth.scram("orders-service", "pa\"ss\\word"))) {
      assertThat(scram.sendAndWait("mechanisms-scram", "k", "scram", Duration.ofSeconds(30))).isNotNull();
      assertThat(scram.toString()).contains("orders-service").doesNotContain("pa\"ss");
    }
    assertThat(LocalMsk.readValues(msk, "mechanisms-scram", 1, Duration.ofSeconds(60)))
        .containsExactly("scram");
  }

  private static boolean scramBrokenHere() {
    return io.github.mskproducer.core.internal.kafka.KafkaClientFacts.scramBroken(
        io.github.mskproducer.core.internal.kafka.KafkaClientFacts.clientsVersion(),
        Runtime.version().feature());
  }

  @Test
  void scramWhereKafkaClientsCannotDoIt_failsTheBuild_namingTheVersionsAndTheFix() {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        scramBrokenHere(), "only kafka-clients before 3.9 on Java 23 and later");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> producer(MSK.broker().bootstrapServers(LocalMskBroker.Listener.SCRAM), MskAuth.scram("u", "p")))
        .isInstanceOf(MskConfigurationException.class)
        .hasMessageContaining("kafka-clients 3.")
        .hasMessageContaining("Use kafka-clients 3.9 or newer");
  }

  @Test
  void scramBroken_isKafkaClientsBefore39_onJava23AndLater() {
    assertThat(io.github.mskproducer.core.internal.kafka.KafkaClientFacts.scramBroken("3.8.1", 25)).isTrue();
    assertThat(io.github.mskproducer.core.internal.kafka.KafkaClientFacts.scramBroken("3.8.1", 21)).isFalse();
    assertThat(io.github.mskproducer.core.internal.kafka.KafkaClientFacts.scramBroken("3.9.2", 25)).isFalse();
    assertThat(io.github.mskproducer.core.internal.kafka.KafkaClientFacts.scramBroken("4.4.0", 25)).isFalse();
  }

  @Test
  void scramWithAWrongPassword_isAnAuthenticationException() {
    org.junit.jupiter.api.Assumptions.assumeFalse(
        scramBrokenHere(), "SCRAM cannot work on this kafka-clients and Java");
    LocalMskBroker msk = MSK.broker();
    msk.addScramUser("bob", "right");
    try (MskProducer<String, String> wrong =
        MskProducer.builder(String.class, String.class)
            .bootstrapServers(msk.bootstrapServers(LocalMskBroker.Listener.SCRAM))
            .auth(MskAuth.scram("bob", "wrong"))
            .truststore(msk.truststorePem())
            .timeouts(t -> t.maxBlock(Duration.ofSeconds(5)))
            .build()) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> wrong.sendAndWait("mechanisms", "k", "v", Duration.ofSeconds(30)))
          .isInstanceOf(MskAuthenticationException.class)
          .hasMessageNotContaining("wrong");
    }
  }

  @Test
  void iamAimedAtTheTlsPort_orTheScramPort_saysTheMechanismIsNotThere_notInvalidToken() {
    LocalMskBroker msk = MSK.broker();
    assertWrongPort(msk.bootstrapServers(LocalMskBroker.Listener.TLS), "offer no SASL mechanism");
    assertWrongPort(msk.bootstrapServers(LocalMskBroker.Listener.SCRAM), "offer only SCRAM-SHA-512");
  }

  private static void assertWrongPort(String bootstrap, String says) {
    LocalMskBroker msk = MSK.broker();
    try (MskProducer<String, String> producer =
        MskProducer.builder(String.class, String.class)
            .bootstrapServers(bootstrap)
            .region(msk.region())
            .auth(MskAuth.iam(c -> c.credentialsProvider(msk.credentialsProvider())))
            .truststore(msk.truststorePem())
            .timeouts(t -> t.maxBlock(Duration.ofSeconds(10)))
            .build()) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> producer.sendAndWait("mechanisms", "k", "v", Duration.ofSeconds(30)))
          .isInstanceOfSatisfying(
              MskAuthenticationException.class,
              e -> {
                assertThat(e.reason())
                    .isEqualTo(MskAuthenticationException.Reason.MECHANISM_NOT_ENABLED);
                assertThat(e.getMessage()).contains(says).contains("IAM uses port 9098");
              });
    }
  }
}
