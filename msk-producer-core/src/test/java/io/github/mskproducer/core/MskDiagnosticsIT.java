package io.github.mskproducer.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mskproducer.core.Finding.Status;
import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.LocalMskBrokerExtension;
import io.github.mskproducer.testkit.TestIdentity;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The doctor against the local broker: each failure reproduced and diagnosed. */
class MskDiagnosticsIT {
  @RegisterExtension
  static final LocalMskBrokerExtension MSK =
      LocalMskBrokerExtension.perClass(
          b ->
              b.extraListeners(LocalMskBroker.Listener.PLAINTEXT)
                  .topic("doctor", 2)
                  .topic("doctor-no-write", 1)
                  .topic("doctor-no-idempotence", 1));

  private static DiagnosticReport doctor(
      Consumer<MskProducerBuilder<String, String>> change, String topic, boolean writes) {
    MskProducerBuilder<String, String> b = LocalMsk.producer(MSK.broker());
    change.accept(b);
    MskDiagnostics.Options.Builder o = MskDiagnostics.options().checkTimeout(Duration.ofSeconds(5)).testWrites(writes);
    if (topic != null) {
      o.topic(topic);
    }
    DiagnosticReport report = MskDiagnostics.run(b.config(), o.build());
    String text = report.toText() + report.toJson();
    for (TestIdentity id : MSK.broker().identities()) {
      assertThat(text).doesNotContain(id.secretAccessKey());
    }
    assertThat(text).doesNotContain("not-the-secret").doesNotContain("aHR0cHM6Ly9rYWZrYS4");
    return report;
  }

  private static Finding failed(DiagnosticReport report, String check) {
    assertThat(report.passed()).as(report.toText()).isFalse();
    return report.findings().stream()
        .filter(f -> f.check().equals(check) && f.status() == Status.FAIL)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no failed " + check + " check in:\n" + report.toText()));
  }

  @Test
  void healthySetup_passesEveryCheck() {
    DiagnosticReport r = doctor(b -> {}, "doctor", true);

    assertThat(r.passed()).as(r.toText()).isTrue();
    assertThat(r.findings())
        .filteredOn(f -> f.status() == Status.OK)
        .extracting(Finding::check)
        .contains(
            "configuration", "region", "dns", "tcp", "tls", "credentials", "token", "authentication",
            "metadata", "advertised-broker", "topic", "write", "idempotent-write");
    assertThat(r.toJson()).startsWith("{\"passed\":true,\"findings\":[{\"check\":\"configuration\"");
    System.out.println("DOCTOR healthy:\n" + r.toText());
  }

  @Test
  void iamAimedAtThePlaintextPort_isAWrongPortAtTls() {
    LocalMskBroker msk = MSK.broker();
    Finding f = failed(doctor(b -> b.bootstrapServers(msk.bootstrapServers(LocalMskBroker.Listener.PLAINTEXT)), null, false), "tls");
    assertThat(f.cause()).contains("wrong port");
  }

  @Test
  void tlsToAPlaintextPort_isAWrongPortAtTls() {
    LocalMskBroker msk = MSK.broker();
    Finding f =
        failed(
            doctor(b -> b.bootstrapServers(msk.bootstrapServers(LocalMskBroker.Listener.PLAINTEXT)).auth(MskAuth.tls()), null, false),
            "tls");
    assertThat(f.fix()).contains("9092 is PLAINTEXT").doesNotContain("null");
  }

  @Test
  void closedPort_isRefusedAtTcp() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    int port = closed;
    Finding f = failed(doctor(b -> b.bootstrapServers("localhost:" + port), null, false), "tcp");
    assertThat(f.observed()).contains("refused");
    assertThat(f.fix()).contains("IAM 9098");
  }

  @Test
  void unresolvableHost_failsAtDns() {
    Finding f = failed(doctor(b -> b.bootstrapServers("no-such-broker.invalid:9098"), null, false), "dns");
    assertThat(f.cause()).contains("DNS");
  }

  @Test
  void untrustedCertificate_failsAtTls() {
    MskProducerBuilder<String, String> noTruststore =
        MskProducer.builder(String.class, String.class)
            .bootstrapServers(MSK.broker().bootstrapServers())
            .region(MSK.broker().region())
            .auth(MskAuth.iam(c -> c.credentialsProvider(MSK.broker().credentialsProvider())));
    DiagnosticReport r = MskDiagnostics.run(noTruststore.config());
    Finding f = failed(r, "tls");
    assertThat(f.observed()).contains("not trusted");
    assertThat(f.fix()).contains("--truststore-pem");
  }

  @Test
  void wrongSecret_failsAuthentication_asAnInvalidToken() {
    StaticCredentialsProvider wrong =
        StaticCredentialsProvider.create(AwsBasicCredentials.create(MSK.broker().identity().accessKeyId(), "not-the-secret"));
    Finding f = failed(doctor(b -> b.auth(MskAuth.iam(c -> c.credentialsProvider(wrong))), null, false), "authentication");
    assertThat(f.target()).isEqualTo("INVALID_TOKEN");
    assertThat(f.cause()).contains("secret that does not belong to the key");
  }

  @Test
  void wrongRegion_failsAuthentication_namingTheRegion() {
    Finding f = failed(doctor(b -> b.region("sa-east-1"), null, false), "authentication");
    assertThat(f.cause()).contains("sa-east-1");
  }

  @Test
  void clockSkew_expiredAndFutureDatedTokens_failAuthentication_mentioningTheClock() {
    LocalMskBroker msk = MSK.broker();
    for (Duration offset : List.of(Duration.ofMinutes(16), Duration.ofMinutes(-10))) {
      msk.setClockOffset(offset);
      try {
        Finding f = failed(doctor(b -> {}, null, false), "authentication");
        assertThat(f.cause()).contains("clock");
      } finally {
        msk.setClockOffset(Duration.ZERO);
      }
    }
  }

  @Test
  void unknownIdentity_failsAuthentication() {
    TestIdentity stranger = TestIdentity.random("stranger");
    Finding f =
        failed(
            doctor(b -> b.auth(MskAuth.iam(c -> c.credentialsProvider(stranger::toAwsCredentials))), null, false),
            "authentication");
    assertThat(f.cause()).contains("unknown or deleted key");
  }

  @Test
  void missingTopic_failsTheTopicCheck() {
    Finding f = failed(doctor(b -> {}, "no-such-topic", true), "topic");
    assertThat(f.cause()).contains("auto.create.topics.enable");
  }

  @Test
  void writeDeniedByAcl_namesWriteData_idempotentWriteDenied_namesWriteDataIdempotently() {
    LocalMskBroker msk = MSK.broker();
    TestIdentity noWrite = msk.addIdentity("doctor-no-write");
    TestIdentity noIdem = msk.addIdentity("doctor-no-idem");
    msk.deny(noWrite.name(), AclOperation.WRITE, new ResourcePattern(ResourceType.TOPIC, "doctor-no-write", PatternType.LITERAL));
    msk.deny(
        noIdem.name(),
        AclOperation.IDEMPOTENT_WRITE,
        new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL));

    DiagnosticReport denied =
        doctor(b -> b.auth(MskAuth.iam(c -> c.credentialsProvider(msk.credentialsProvider(noWrite.name())))), "doctor-no-write", true);
    DiagnosticReport noIdempotence =
        doctor(
            b -> b.auth(MskAuth.iam(c -> c.credentialsProvider(msk.credentialsProvider(noIdem.name())))),
            "doctor-no-idempotence",
            true);

    assertThat(failed(denied, "write").cause()).contains("kafka-cluster:WriteData");
    assertThat(noIdempotence.findings())
        .filteredOn(f -> f.check().equals("write"))
        .singleElement()
        .satisfies(f -> assertThat(f.status()).isEqualTo(Status.OK));
    assertThat(failed(noIdempotence, "idempotent-write").cause()).contains("kafka-cluster:WriteDataIdempotently");
    System.out.println("DOCTOR idempotent write denied:\n" + noIdempotence.toText());
  }

  @Test
  void tooManyConnects_isDiagnosed() {
    LocalMskBroker msk = MSK.broker();
    msk.setIamConnectionRateLimit(1);
    try {
      DiagnosticReport r = doctor(b -> {}, "doctor", true);
      assertThat(r.passed()).isFalse();
      assertThat(r.toText()).contains("Too many connects");
    } finally {
      msk.setIamConnectionRateLimit(0);
    }
  }
}
