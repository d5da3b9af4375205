package io.github.mskproducer.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A plain KafkaProducer wired the way the AWS docs (and the seed article) do it: SASL_SSL,
 * OAUTHBEARER, aws-msk-iam-auth's handlers, static credentials from the default chain. Runs on
 * the broker shared by the whole test run.
 */
@ExtendWith(LocalMskBrokerExtension.class)
class MskIamEndToEndIT {
  private final LocalMskBroker msk;

  MskIamEndToEndIT(LocalMskBroker msk) {
    this.msk = msk;
  }

  @Test
  void seedArticleProducer_sendsRecords_andAConsumerReadsThemBack() throws Exception {
    msk.createTopic("e2e-orders", 3);
    List<String> sent = new ArrayList<>();
    try (LocalMskBroker.Restorable creds = msk.installCredentialsAsSystemProperties();
        KafkaProducer<String, String> producer = KafkaClients.producer(msk.mskIamClientProperties())) {
      List<Future<RecordMetadata>> acks = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        sent.add("order-" + i);
        acks.add(producer.send(new ProducerRecord<>("e2e-orders", "k" + i, "order-" + i)));
      }
      for (Future<RecordMetadata> ack : acks) {
        assertThat(ack.get().topic()).isEqualTo("e2e-orders");
      }
      List<String> read =
          KafkaClients.readValues(msk.mskIamClientProperties(), "e2e-orders", 50, Duration.ofSeconds(60));

      assertThat(read).containsExactlyInAnyOrderElementsOf(sent);
    }
  }

  @Test
  void wrongSecret_failsWithSaslAuthenticationException() {
    TestIdentity impostor =
        TestIdentity.of("impostor", msk.identity().accessKeyId(), "not-the-real-secret");
    msk.createTopic("e2e-secret", 1);

    try (LocalMskBroker.Restorable creds = KafkaClients.systemCredentials(impostor, msk.region());
        KafkaProducer<String, String> producer = KafkaClients.producer(msk.mskIamClientProperties())) {
      Throwable failure =
          catchThrowable(() -> producer.send(new ProducerRecord<>("e2e-secret", "v")).get());

      assertThat(KafkaClients.causeOfType(failure, SaslAuthenticationException.class))
          .as("cause chain of %s", failure)
          .isNotNull();
    }
  }

  @Test
  void tokenSignedForAnotherRegion_isRefused() {
    try (LocalMskBroker.Restorable creds = KafkaClients.systemCredentials(msk.identity(), "eu-central-1");
        KafkaProducer<String, String> producer = KafkaClients.producer(msk.mskIamClientProperties())) {
      Throwable failure = catchThrowable(() -> producer.partitionsFor("anything"));

      assertThat(KafkaClients.causeOfType(failure, SaslAuthenticationException.class)).isNotNull();
    }
  }

  @Test
  void sessionCredentials_areAccepted_andThePrincipalIsTheIdentityName() throws Exception {
    TestIdentity temporary = msk.addIdentity(TestIdentity.randomWithSessionToken("e2e-temporary"));
    msk.createTopic("e2e-session", 1);
    msk.deny(
        "e2e-temporary",
        AclOperation.WRITE,
        new ResourcePattern(ResourceType.TOPIC, "e2e-session-denied", PatternType.LITERAL));
    msk.createTopic("e2e-session-denied", 1);

    try (LocalMskBroker.Restorable creds = msk.installCredentialsAsSystemProperties(temporary.name());
        KafkaProducer<String, String> producer = KafkaClients.producer(msk.mskIamClientProperties())) {
      assertThat(producer.send(new ProducerRecord<>("e2e-session", "v")).get().offset()).isZero();
      // The ACL names User:e2e-temporary: it applies, so that is the principal.
      Throwable denied =
          catchThrowable(() -> producer.send(new ProducerRecord<>("e2e-session-denied", "v")).get());
      assertThat(KafkaClients.causeOfType(denied, TopicAuthorizationException.class)).isNotNull();
    }
  }

  @Test
  void legacyAwsMskIamMechanism_producesToo() throws Exception {
    msk.createTopic("e2e-legacy", 1);
    Properties legacy = msk.mskIamClientProperties();
    legacy.remove("sasl.login.callback.handler.class");
    legacy.setProperty("sasl.mechanism", "AWS_MSK_IAM");
    legacy.setProperty("sasl.jaas.config", "software.amazon.msk.auth.iam.IAMLoginModule required;");
    legacy.setProperty(
        "sasl.client.callback.handler.class", "software.amazon.msk.auth.iam.IAMClientCallbackHandler");

    try (LocalMskBroker.Restorable creds = msk.installCredentialsAsSystemProperties();
        KafkaProducer<String, String> producer = KafkaClients.producer(legacy)) {
      assertThat(producer.send(new ProducerRecord<>("e2e-legacy", "legacy")).get().offset()).isZero();
      assertThat(KafkaClients.readValues(legacy, "e2e-legacy", 1, Duration.ofSeconds(60)))
          .containsExactly("legacy");
    }
  }

  @Test
  void deniedTopicWrite_failsWithTopicAuthorizationException() {
    TestIdentity id = msk.addIdentity("e2e-no-write");
    msk.createTopic("e2e-acl-write", 1);
    msk.deny(
        id.name(),
        AclOperation.WRITE,
        new ResourcePattern(ResourceType.TOPIC, "e2e-acl-write", PatternType.LITERAL));

    try (LocalMskBroker.Restorable creds = msk.installCredentialsAsSystemProperties(id.name());
        KafkaProducer<String, String> producer = KafkaClients.producer(msk.mskIamClientProperties())) {
      Throwable failure =
          catchThrowable(() -> producer.send(new ProducerRecord<>("e2e-acl-write", "v")).get());

      assertThat(KafkaClients.causeOfType(failure, TopicAuthorizationException.class)).isNotNull();
    }
  }

  @Test
  void deniedIdempotentWrite_failsIdempotentProducer_butNotANonIdempotentOne() throws Exception {
    TestIdentity id = msk.addIdentity("e2e-no-idempotence");
    msk.createTopic("e2e-acl-idempotent", 1);
    msk.deny(
        id.name(),
        AclOperation.IDEMPOTENT_WRITE,
        new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL));

    try (LocalMskBroker.Restorable creds = msk.installCredentialsAsSystemProperties(id.name())) {
      try (KafkaProducer<String, String> idempotent =
          KafkaClients.producer(msk.mskIamClientProperties(), "enable.idempotence", "true")) {
        Throwable failure =
            catchThrowable(() -> idempotent.send(new ProducerRecord<>("e2e-acl-idempotent", "v")).get());
        assertThat(KafkaClients.causeOfType(failure, ClusterAuthorizationException.class))
            .as("cause chain of %s", failure)
            .isNotNull();
      }
      try (KafkaProducer<String, String> plain =
          KafkaClients.producer(
              msk.mskIamClientProperties(), "enable.idempotence", "false", "acks", "all")) {
        assertThat(plain.send(new ProducerRecord<>("e2e-acl-idempotent", "v")).get().offset()).isZero();
      }
    }
  }

  @Test
  void deniedDescribe_failsWithTopicAuthorizationException() {
    TestIdentity id = msk.addIdentity("e2e-no-describe");
    msk.createTopic("e2e-acl-describe", 1);
    msk.deny(
        id.name(),
        AclOperation.DESCRIBE,
        new ResourcePattern(ResourceType.TOPIC, "e2e-acl-describe", PatternType.LITERAL));

    try (LocalMskBroker.Restorable creds = msk.installCredentialsAsSystemProperties(id.name());
        KafkaProducer<String, String> producer = KafkaClients.producer(msk.mskIamClientProperties())) {
      Throwable failure = catchThrowable(() -> producer.partitionsFor("e2e-acl-describe"));

      assertThat(KafkaClients.causeOfType(failure, TopicAuthorizationException.class)).isNotNull();
    }
  }

  @Test
  void removedAndRotatedIdentities_areRefusedOnTheirNextAuthentication() throws Exception {
    msk.createTopic("e2e-rotate", 1);
    TestIdentity original = msk.addIdentity("e2e-rotating");
    TestIdentity rotated = msk.rotateIdentity("e2e-rotating");

    try (LocalMskBroker.Restorable creds = KafkaClients.systemCredentials(original, msk.region());
        KafkaProducer<String, String> old = KafkaClients.producer(msk.mskIamClientProperties())) {
      assertThat(KafkaClients.causeOfType(catchThrowable(() -> old.partitionsFor("e2e-rotate")), SaslAuthenticationException.class))
          .isNotNull();
    }
    try (LocalMskBroker.Restorable creds = msk.installCredentialsAsSystemProperties(rotated.name());
        KafkaProducer<String, String> fresh = KafkaClients.producer(msk.mskIamClientProperties())) {
      assertThat(fresh.send(new ProducerRecord<>("e2e-rotate", "v")).get().offset()).isZero();
    }
    assertThat(msk.credentialsProvider("e2e-rotating").resolveCredentials().accessKeyId())
        .isEqualTo(rotated.accessKeyId());

    msk.removeIdentity("e2e-rotating");
    try (LocalMskBroker.Restorable creds = KafkaClients.systemCredentials(rotated, msk.region());
        KafkaProducer<String, String> removed = KafkaClients.producer(msk.mskIamClientProperties())) {
      assertThat(KafkaClients.causeOfType(catchThrowable(() -> removed.partitionsFor("e2e-rotate")), SaslAuthenticationException.class))
          .isNotNull();
    }
  }

  @Test
  void overTheIamConnectionRate_authenticationFailsWithTooManyConnects() {
    msk.setIamConnectionRateLimit(1);
    List<KafkaProducer<String, String>> producers = new ArrayList<>();
    try (LocalMskBroker.Restorable creds = msk.installCredentialsAsSystemProperties()) {
      for (int i = 0; i < 6; i++) {
        producers.add(KafkaClients.producer(msk.mskIamClientProperties(), "max.block.ms", "5000"));
      }
      // A cold-start storm (F8): all of them connect at the same moment.
      List<CompletableFuture<Throwable>> attempts = new ArrayList<>();
      for (KafkaProducer<String, String> p : producers) {
        attempts.add(CompletableFuture.supplyAsync(() -> catchThrowable(() -> p.partitionsFor("e2e-orders"))));
      }

      assertThat(attempts.stream().map(CompletableFuture::join))
          .anySatisfy(
              f -> {
                SaslAuthenticationException sasl =
                    KafkaClients.causeOfType(f, SaslAuthenticationException.class);
                assertThat(sasl).isNotNull();
                assertThat(sasl.getMessage()).contains("Too many connects");
              });
    } finally {
      msk.setIamConnectionRateLimit(0);
      producers.forEach(p -> p.close(Duration.ZERO));
    }
  }

  @Test
  void brokerClockAhead_makesFreshTokensLookExpired_untilReset() throws Exception {
    msk.createTopic("e2e-clock", 1);
    try (LocalMskBroker.Restorable creds = msk.installCredentialsAsSystemProperties()) {
      msk.setClockOffset(Duration.ofMinutes(16));
      try (KafkaProducer<String, String> producer =
          KafkaClients.producer(msk.mskIamClientProperties(), "max.block.ms", "5000")) {
        assertThat(
                KafkaClients.causeOfType(
                    catchThrowable(() -> producer.partitionsFor("e2e-clock")),
                    SaslAuthenticationException.class))
            .isNotNull();
      } finally {
        msk.setClockOffset(Duration.ZERO);
      }
      try (KafkaProducer<String, String> producer = KafkaClients.producer(msk.mskIamClientProperties())) {
        assertThat(producer.send(new ProducerRecord<>("e2e-clock", "v")).get().offset()).isZero();
      }
    }
  }
}
