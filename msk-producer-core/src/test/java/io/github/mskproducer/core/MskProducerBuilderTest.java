package io.github.mskproducer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mskproducer.core.internal.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;

/** Every validation message names its option and says what to do. No broker here. */
class MskProducerBuilderTest {
  private static final String MSK = "b-1.demo.abc123.c2.kafka.us-east-1.amazonaws.com:9098";

  @TempDir Path dir;

  private static MskProducerBuilder<String, String> builder() {
    return MskProducer.builder(String.class, String.class).defaultRegion(Optional::empty);
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> assertConfigError(
      Runnable call, String option) {
    return assertThatThrownBy(call::run)
        .isInstanceOf(MskConfigurationException.class)
        .satisfies(e -> assertThat(((MskConfigurationException) e).option()).isEqualTo(option))
        .satisfies(e -> assertThat(((MskConfigurationException) e).isRetriable()).isFalse());
  }

  @Test
  void defaults_areIamAcksAllIdempotentLz4_withTheRegionOfTheHosts() {
    Settings s = builder().bootstrapServers(MSK).resolve();

    assertThat(s.auth().mechanism()).isEqualTo(MskAuth.Mechanism.IAM);
    assertThat(s.region()).isEqualTo("us-east-1");
    assertThat(s.regionSource()).isEqualTo("from broker host names");
    assertThat(s.acks()).isEqualTo(Acks.ALL);
    assertThat(s.idempotence()).isTrue();
    assertThat(s.compression()).isEqualTo(Compression.LZ4);
    assertThat(s.linger()).isEqualTo(Duration.ofMillis(10));
    assertThat(s.batchSize()).isEqualTo(65536);
    assertThat(s.timeouts()).isEqualTo(Timeouts.defaults());
    assertThat(s.reconnectBackoff()).isEqualTo(Duration.ofSeconds(1));
    assertThat(s.reconnectBackoffMax()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.clientId()).startsWith("msk-producer-");
    assertThat(s.flushPolicy()).isEqualTo(FlushPolicy.ASYNC);
  }

  @Test
  void missingBootstrapServers_saysWhereToFindThem() {
    assertConfigError(() -> builder().resolve(), "bootstrapServers")
        .hasMessageContaining("get-bootstrap-brokers")
        .hasMessageContaining("MSK_BOOTSTRAP_SERVERS");
  }

  @Test
  void iamOnThePlaintextPort_isRefused_namingTheRightPorts() {
    assertConfigError(
            () -> builder().bootstrapServers("b-1.demo.abc.c2.kafka.us-east-1.amazonaws.com:9092").resolve(),
            "bootstrapServers")
        .hasMessageContaining("PLAINTEXT")
        .hasMessageContaining("9098 (inside the VPC) or 9198 (public access)");
  }

  @Test
  void region_fromClusterNameWithARegionInIt_isTheSuffixRegion() {
    Settings s =
        builder()
            .bootstrapServers("b-1.demo-us-west-1-app.abc123.c2.kafka.us-west-2.amazonaws.com:9098")
            .resolve();
    assertThat(s.region()).isEqualTo("us-west-2");
  }

  @Test
  void region_explicitButDifferentFromTheHosts_isRefused() {
    assertConfigError(() -> builder().bootstrapServers(MSK).region("eu-west-1").resolve(), "region")
        .hasMessageContaining("region(eu-west-1) differs")
        .hasMessageContaining("us-east-1");
  }

  @Test
  void region_missingForNonMskHosts_saysHowToSetIt() {
    assertConfigError(() -> builder().bootstrapServers("localhost:9098").resolve(), "region")
        .hasMessageContaining("region(\"<region>\")")
        .hasMessageContaining("AWS_REGION");
    assertThat(
            builder()
                .bootstrapServers("localhost:9098")
                .defaultRegion(() -> Optional.of("ap-south-1"))
                .resolve()
                .region())
        .isEqualTo("ap-south-1");
    assertThat(builder().bootstrapServers("localhost:9098").region("eu-north-1").resolve().region())
        .isEqualTo("eu-north-1");
  }

  @Test
  void region_isNotNeededWithoutIam() {
    Settings s = builder().bootstrapServers("localhost:9092").auth(MskAuth.plaintext()).resolve();
    assertThat(s.region()).isNull();
  }

  @Test
  void idempotenceWithoutAcksAll_namesBothOptions() {
    assertConfigError(
            () -> builder().bootstrapServers(MSK).acks(Acks.LEADER).idempotence(true).resolve(),
            "idempotence")
        .hasMessageContaining("acks(Acks.ALL)");
    assertThat(builder().bootstrapServers(MSK).acks(Acks.LEADER).resolve().idempotence()).isFalse();
  }

  @Test
  void deliveryBelowLingerPlusRequest_namesAllThree() {
    assertConfigError(
            () ->
                builder()
                    .bootstrapServers(MSK)
                    .linger(Duration.ofSeconds(5))
                    .timeouts(t -> t.request(Duration.ofSeconds(30)).delivery(Duration.ofSeconds(31)))
                    .resolve(),
            "timeouts.delivery")
        .hasMessageContaining("linger (PT5S)")
        .hasMessageContaining("timeouts.request (PT30S)");
  }

  @Test
  void badValues_areRefusedAtOnce_namingTheOption() {
    assertConfigError(() -> builder().region("US-EAST-1"), "region");
    assertConfigError(() -> builder().batchSize(0), "batchSize");
    assertConfigError(() -> builder().linger(Duration.ofMillis(-1)), "linger");
    assertConfigError(() -> builder().clientId("has space"), "clientId");
    assertConfigError(() -> builder().bootstrapServers("nohost"), "bootstrapServers");
    assertConfigError(() -> builder().truststore(dir.resolve("missing.pem")), "truststore");
    assertConfigError(() -> builder().timeouts(t -> t.request(Duration.ZERO)), "timeouts.request");
    assertConfigError(() -> Timeouts.builder().maxBlock(Duration.ofDays(30)), "timeouts.maxBlock");
    assertConfigError(
        () ->
            Timeouts.builder()
                .connectionSetup(Duration.ofSeconds(20))
                .connectionSetupMax(Duration.ofSeconds(10))
                .build(),
        "timeouts.connectionSetupMax");
    assertConfigError(() -> RetryPolicy.builder().maxAttempts(0), "retry.maxAttempts");
    assertConfigError(() -> RetryPolicy.builder().jitter(1.5), "retry.jitter");
    assertConfigError(() -> RetryPolicy.builder().maxElapsed(Duration.ZERO), "retry.maxElapsed");
    assertConfigError(() -> RetryPolicy.builder().multiplier(0.5), "retry.multiplier");
    assertConfigError(
        () -> RetryPolicy.builder().initialBackoff(Duration.ofSeconds(5)).maxBackoff(Duration.ofSeconds(1)).build(),
        "retry.maxBackoff");
    assertConfigError(
        () -> builder().reconnectBackoff(Duration.ofSeconds(5), Duration.ofSeconds(1)), "reconnectBackoff");
    assertConfigError(() -> MskAuth.scram("", "x"), "auth.scram");
    assertConfigError(() -> MskAuth.iam(c -> c.profile(" ")), "auth.profile");
    assertConfigError(() -> MskAuth.iam(c -> c.assumeRole("not-an-arn", "app")), "auth.assumeRole");
    assertConfigError(
        () -> MskAuth.iam(c -> c.assumeRole("arn:aws:iam::123456789012:role/x", "bad name!")),
        "auth.assumeRole");
    assertThatThrownBy(() -> builder().bootstrapServers(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("bootstrapServers");
  }

  @Test
  void credentialsChosenTwice_nameBothSources() {
    assertConfigError(
            () -> MskAuth.iam(c -> c.profile("dev").credentialsProvider(AnonymousCredentialsProvider.create())),
            "auth.credentials")
        .hasMessageContaining("PROFILE")
        .hasMessageContaining("PROVIDER");
  }

  @Test
  void property_managedByTheBuilder_namesTheBuilderMethod() {
    assertConfigError(() -> builder().property("security.protocol", "SSL"), "security.protocol")
        .hasMessageContaining("auth(...)");
    assertConfigError(() -> builder().property("sasl.mechanism", "PLAIN"), "sasl.mechanism")
        .hasMessageContaining("auth(...)");
    assertConfigError(() -> builder().property("ssl.truststore.location", "/x"), "ssl.truststore.location")
        .hasMessageContaining("truststore(...)");
    assertConfigError(() -> builder().property("acks", "1"), "acks").hasMessageContaining("acks(...)");
    assertConfigError(() -> builder().property("linger.ms", "5"), "linger.ms")
        .hasMessageContaining("linger(...)");
    assertConfigError(() -> builder().property("delivery.timeout.ms", "5"), "delivery.timeout.ms")
        .hasMessageContaining("timeouts(t -> t.delivery(...))");
    assertConfigError(
            () -> builder().bootstrapServers(MSK).property("ssl.keystore.location", "/k").resolve(),
            "ssl.keystore.location")
        .hasMessageContaining("managed for IAM");
  }

  @Test
  void property_hostNameVerification_cannotBeTurnedOff_whateverTheAuth() {
    assertConfigError(
            () -> builder().bootstrapServers("localhost:9094").auth(MskAuth.tls()).property("ssl.endpoint.identification.algorithm", ""),
            "ssl.endpoint.identification.algorithm")
        .hasMessageContaining("host name verification");
  }

  @Test
  void property_unknown_isRefusedAsATypo_knownOnesPassThrough() {
    assertConfigError(() -> builder().property("max.request.sizee", "1"), "max.request.sizee")
        .hasMessageContaining("not a Kafka producer property");
    Settings s =
        builder()
            .bootstrapServers("localhost:9094")
            .auth(MskAuth.tls())
            .property("max.request.size", "2097152")
            .property("ssl.keystore.location", "/client.p12")
            .resolve();
    assertThat(s.extraProperties())
        .containsEntry("max.request.size", "2097152")
        .containsEntry("ssl.keystore.location", "/client.p12");
  }

  @Test
  void serializerForAnUnsupportedType_pointsToTheSerializerBuilder() {
    assertConfigError(() -> MskProducer.builder(String.class, Map.class), "valueType")
        .hasMessageContaining("JsonSerializer");
  }

  @Test
  void perSendFlushPolicy_defaultsLingerToZero() {
    assertThat(builder().bootstrapServers(MSK).flushPolicy(FlushPolicy.PER_SEND).resolve().linger())
        .isEqualTo(Duration.ZERO);
  }

  @Test
  void describe_neverContainsSecrets() throws Exception {
    Path pem = Files.writeString(dir.resolve("ca.pem"), "x");
    Settings iam =
        builder()
            .bootstrapServers(MSK)
            .auth(MskAuth.iam(c -> c.staticCredentials("AKIAEXAMPLE", "very-secret-value", "session-token-value")))
            .truststore(pem, "truststore-password-value")
            .resolve();
    Settings scram =
        builder()
            .bootstrapServers("b-1.demo.abc.c2.kafka.us-east-1.amazonaws.com:9096")
            .auth(MskAuth.scram("alice", "scram-password-value"))
            .resolve();

    assertThat(iam.describe() + scram.describe() + iam.auth() + scram.auth())
        .contains("static keys AKIA…", "alice")
        .doesNotContain("AKIAEXAMPLE") // only its start, as everywhere a person reads
        .doesNotContain("very-secret-value")
        .doesNotContain("session-token-value")
        .doesNotContain("truststore-password-value")
        .doesNotContain("scram-password-value");
  }

  @Test
  void aProviderPassedIn_isNeverClosed_byTheProducer() {
    java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    class Closeable implements software.amazon.awssdk.auth.credentials.AwsCredentialsProvider,
        software.amazon.awssdk.utils.SdkAutoCloseable {
      @Override
      public software.amazon.awssdk.auth.credentials.AwsCredentials resolveCredentials() {
        return software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("AKIAEXAMPLE", "s");
      }

      @Override
      public void close() {
        closed.set(true);
      }
    }
    Closeable provider = new Closeable();

    // No broker: a Kafka producer connects only on its first send.
    MskProducer<String, String> producer =
        builder()
            .bootstrapServers("localhost:1")
            .region("us-east-1")
            .auth(MskAuth.iam(c -> c.credentialsProvider(provider)))
            .build();
    producer.close(Duration.ZERO);

    assertThat(closed).isFalse();
  }

  @Test
  void assumeRole_makesARefreshingStsProvider_withTheFixedSessionName() {
    var made =
        io.github.mskproducer.core.internal.auth.CredentialsProviders.create(
            MskAuth.iam(c -> c.assumeRole("arn:aws:iam::123456789012:role/writer", "orders-service"))
                .iamCredentials()
                .orElseThrow(),
            "eu-west-1");
    try {
      assertThat(made.provider())
          .isInstanceOf(software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider.class);
      assertThat(made.provider().toString()).contains("StsAssumeRoleCredentialsProvider");
    } finally {
      made.close();
    }
  }
}
