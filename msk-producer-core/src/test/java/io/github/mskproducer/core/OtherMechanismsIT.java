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
  void tls_scram_andPlaintext_produce() {
    LocalMskBroker msk = MSK.broker();
    msk.addScramUser("orders-service", "pa\"ss\\word");
    try (MskProducer<String, String> tls =
            producer(msk.bootstrapServers(LocalMskBroker.Listener.TLS), MskAuth.tls());
        MskProducer<String, String> scram =
            producer(
                msk.bootstrapServers(LocalMskBroker.Listener.SCRAM),
                MskAuth.scram("orders-service", "pa\"ss\\word"));
        MskProducer<String, String> plaintext =
            producer(msk.bootstrapServers(LocalMskBroker.Listener.PLAINTEXT), MskAuth.plaintext())) {
      assertThat(tls.sendAndWait("mechanisms", "k", "tls", Duration.ofSeconds(30))).isNotNull();
      assertThat(scram.sendAndWait("mechanisms", "k", "scram", Duration.ofSeconds(30))).isNotNull();
      assertThat(plaintext.sendAndWait("mechanisms", "k", "plaintext", Duration.ofSeconds(30)))
          .isNotNull();
      assertThat(tls.region()).isNull();
      assertThat(scram.toString()).contains("orders-service").doesNotContain("pa\"ss");
    }
    assertThat(LocalMsk.readValues(msk, "mechanisms", 3, Duration.ofSeconds(60)))
        .containsExactlyInAnyOrder("tls", "scram", "plaintext");
  }

  @Test
  void scramWithAWrongPassword_isAnAuthenticationException() {
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
