package io.github.mskproducer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The immutable configuration: unset is not default, copies compare equal, no secret shows. */
class MskProducerConfigTest {
  private static final String MSK = "b-1.demo.abc123.c2.kafka.us-east-1.amazonaws.com:9098";

  @TempDir Path dir;

  @Test
  void nothingSet_readsAsUnset_notAsTheDefault() {
    MskProducerConfig c = MskProducerConfig.builder().bootstrapServers(MSK).build();
    assertThat(c.acks()).isEmpty();
    assertThat(c.linger()).isEmpty();
    assertThat(c.auth()).isEmpty();
    assertThat(c.retry()).isEmpty();
    assertThat(c.timeouts().isDefault()).isTrue();
    assertThat(c.timeouts().request()).as("an unset timeout reads as Kafka's").isEqualTo(Timeouts.DEFAULT_REQUEST);
    assertThat(c).isNotEqualTo(c.toBuilder().acks(Acks.ALL).build()).as("set to the default is still set");
    assertThat(MskProducerConfig.empty().bootstrapServers()).isEmpty();
  }

  @Test
  void timeouts_tellWhichValuesWereSet_evenWhenSetToTheDefault() {
    Timeouts t = Timeouts.builder().delivery(Timeouts.DEFAULT_DELIVERY).build();
    assertThat(t.isSet(Timeouts.Option.DELIVERY)).isTrue();
    assertThat(t.isSet(Timeouts.Option.REQUEST)).isFalse();
    assertThat(t.isDefault()).isFalse();
    Timeouts merged = Timeouts.defaults().orElse(Timeouts.builder().maxBlock(Duration.ofSeconds(1)).build());
    assertThat(merged.isSet(Timeouts.Option.MAX_BLOCK)).as("set in the fallback").isTrue();
    assertThat(merged.isSet(Timeouts.Option.CONNECTION_SETUP)).isFalse();
  }

  @Test
  void toBuilder_copiesEverything_andCopiesAreEqual() throws Exception {
    Path pem = Files.writeString(dir.resolve("ca.pem"), "x");
    MskProducerConfig c =
        MskProducerConfig.builder()
            .bootstrapServers(MSK)
            .region("us-east-1")
            .auth(MskAuth.iam(a -> a.profile("dev")))
            .truststore(pem)
            .acks(Acks.ALL)
            .idempotence(true)
            .compression(Compression.ZSTD)
            .linger(Duration.ofMillis(7))
            .batchSize(1000)
            .clientId("c-1")
            .timeouts(t -> t.request(Duration.ofSeconds(9)))
            .retry(r -> r.maxAttempts(5))
            .flushPolicy(FlushPolicy.PER_SEND)
            .reconnectBackoff(Duration.ofSeconds(2), Duration.ofSeconds(20))
            .property("max.request.size", "2097152")
            .build();
    MskProducerConfig copy = c.toBuilder().build();
    assertThat(copy).isEqualTo(c).hasSameHashCodeAs(c).isNotSameAs(c);
    assertThat(c.toBuilder().linger(Duration.ofMillis(8)).build()).isNotEqualTo(c);
    assertThat(c.linger()).as("the original is unchanged").contains(Duration.ofMillis(7));
    assertThatThrownBy(() -> c.properties().put("acks", "0")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void retryAndTimeoutsChanges_startFromWhatIsSet() {
    MskProducerConfig c =
        MskProducerConfig.builder()
            .retry(RetryPolicy.builder().maxAttempts(7).build())
            .retry(r -> r.jitter(0))
            .timeouts(t -> t.request(Duration.ofSeconds(9)))
            .timeouts(t -> t.maxBlock(Duration.ofSeconds(3)))
            .build();
    assertThat(c.retry().orElseThrow().maxAttempts()).as("kept from the policy set before").isEqualTo(7);
    assertThat(c.retry().orElseThrow().jitter()).isZero();
    assertThat(c.timeouts().request()).isEqualTo(Duration.ofSeconds(9));
    assertThat(c.timeouts().maxBlock()).isEqualTo(Duration.ofSeconds(3));
    assertThat(RetryPolicy.defaults().toBuilder().build()).isEqualTo(RetryPolicy.defaults());
  }

  @Test
  void timeoutsOrElse_fillsOnlyUnsetValues() {
    Timeouts user = Timeouts.builder().maxBlock(Duration.ofSeconds(7)).build();
    Timeouts lambda =
        Timeouts.builder().request(Duration.ofSeconds(5)).maxBlock(Duration.ofSeconds(2)).build();
    Timeouts merged = user.orElse(lambda);
    assertThat(merged.maxBlock()).isEqualTo(Duration.ofSeconds(7));
    assertThat(merged.request()).isEqualTo(Duration.ofSeconds(5));
    assertThat(merged.delivery()).isEqualTo(Timeouts.DEFAULT_DELIVERY);
    assertThat(merged.toString()).contains("delivery=PT2M (default)").contains("request=PT5S,");
    assertThat(Timeouts.defaults()).isEqualTo(Timeouts.builder().build());
  }

  @Test
  void toString_showsNoSecret() throws Exception {
    Path p12 = Files.writeString(dir.resolve("ca.p12"), "x");
    String withKeys =
        MskProducerConfig.builder()
            .bootstrapServers(MSK)
            .auth(MskAuth.iam(a -> a.staticCredentials("AKIAEXAMPLEKEY12345", "wJalrSECRETKEY", "SESSIONTOKENxyz")))
            .truststore(p12, "storepass123")
            .build()
            .toString();
    String withScram =
        MskProducerConfig.builder()
            .auth(MskAuth.scram("alice", "scramPassword9"))
            .property("max.request.size", "2097152")
            .build()
            .toString();
    assertThat(withKeys + withScram)
        .doesNotContain("wJalrSECRETKEY", "SESSIONTOKENxyz", "storepass123", "scramPassword9", "AKIAEXAMPLEKEY12345", "2097152")
        .contains("bootstrapServers=" + MSK, "alice", "max.request.size");
  }

  @Test
  void authEquality_byValue_andAProviderByIdentity() {
    assertThat(MskAuth.scram("a", "b")).isEqualTo(MskAuth.scram("a", "b")).isNotEqualTo(MskAuth.scram("a", "c"));
    assertThat(MskAuth.iam(c -> c.profile("x"))).isEqualTo(MskAuth.iam(c -> c.profile("x")));
    assertThat(MskAuth.iam()).isEqualTo(MskAuth.iam(c -> c.defaultChain()));
    software.amazon.awssdk.auth.credentials.AwsCredentialsProvider p =
        software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider.create();
    assertThat(MskAuth.iam(c -> c.credentialsProvider(p))).isEqualTo(MskAuth.iam(c -> c.credentialsProvider(p)));
    assertThat(MskAuth.iam(c -> c.credentialsProvider(p)))
        .isNotEqualTo(MskAuth.iam(c -> c.credentialsProvider(software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider.create())));
  }

  @Test
  void theFrontDoor_producesTheSameConfig() {
    MskProducerConfig viaBuilder =
        MskProducer.builder(String.class, String.class)
            .fromEnvironment(Map.of("MSK_BOOTSTRAP_SERVERS", MSK, "MSK_LINGER_MS", "3"))
            .acks(Acks.ALL)
            .config();
    MskProducerConfig direct =
        MskProducerConfig.builder()
            .bootstrapServers(MSK)
            .linger(Duration.ofMillis(3))
            .acks(Acks.ALL)
            .build();
    assertThat(viaBuilder).isEqualTo(direct);
    assertThat(MskProducer.builder(String.class, String.class).config(direct).config()).isEqualTo(direct);
  }
}
