package io.github.mskproducer.core.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mskproducer.core.Acks;
import io.github.mskproducer.core.Compression;
import io.github.mskproducer.core.MskAuth;
import io.github.mskproducer.core.MskConfigurationException;
import io.github.mskproducer.core.Timeouts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class EnvironmentConfigTest {
  /** Records what the environment set. */
  private static final class Recorder implements EnvironmentConfig.Target {
    final Map<String, Object> set = new LinkedHashMap<>();
    Timeouts timeouts = Timeouts.defaults();

    @Override
    public void bootstrapServers(String v) {
      MskHosts.parse(v);
      set.put("bootstrap", v);
    }

    @Override
    public void region(String v) {
      set.put("region", v);
    }

    @Override
    public void auth(MskAuth v) {
      set.put("auth", v);
    }

    @Override
    public void truststore(Path file, String password) {
      set.put("truststore", file + (password == null ? "" : " with password"));
    }

    @Override
    public void clientId(String v) {
      set.put("clientId", v);
    }

    @Override
    public void acks(Acks v) {
      set.put("acks", v);
    }

    @Override
    public void compression(Compression v) {
      set.put("compression", v);
    }

    @Override
    public void linger(Duration v) {
      set.put("linger", v);
    }

    @Override
    public void batchSize(int v) {
      set.put("batchSize", v);
    }

    @Override
    public void timeouts(Consumer<Timeouts.Builder> v) {
      timeouts = timeouts.with(v);
    }
  }

  @Test
  void everyDocumentedVariable_setsItsOption() {
    Recorder r = new Recorder();
    EnvironmentConfig.apply(
        Map.ofEntries(
            Map.entry("MSK_BOOTSTRAP_SERVERS", "b-1.x.y.c1.kafka.eu-west-1.amazonaws.com:9098"),
            Map.entry("AWS_REGION", "eu-west-1"),
            Map.entry("MSK_AWS_PROFILE", "dev"),
            Map.entry("MSK_TRUSTSTORE", "/tmp/ca.p12"),
            Map.entry("MSK_TRUSTSTORE_PASSWORD", "pw"),
            Map.entry("MSK_CLIENT_ID", "orders"),
            Map.entry("MSK_ACKS", "1"),
            Map.entry("MSK_COMPRESSION", "zstd"),
            Map.entry("MSK_LINGER_MS", "20"),
            Map.entry("MSK_BATCH_SIZE", "131072"),
            Map.entry("MSK_REQUEST_TIMEOUT_MS", "10000"),
            Map.entry("MSK_DELIVERY_TIMEOUT_MS", "60000"),
            Map.entry("MSK_MAX_BLOCK_MS", "5000")),
        r,
        true);

    assertThat(r.set)
        .containsEntry("region", "eu-west-1")
        .containsEntry("truststore", "/tmp/ca.p12 with password")
        .containsEntry("clientId", "orders")
        .containsEntry("acks", Acks.LEADER)
        .containsEntry("compression", Compression.ZSTD)
        .containsEntry("linger", Duration.ofMillis(20))
        .containsEntry("batchSize", 131072);
    assertThat(r.set.get("auth").toString()).isEqualTo("IAM(profile dev)");
    assertThat(r.timeouts.request()).isEqualTo(Duration.ofSeconds(10));
    assertThat(r.timeouts.delivery()).isEqualTo(Duration.ofSeconds(60));
    assertThat(r.timeouts.maxBlock()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void authVariants() {
    assertThat(auth(Map.of("MSK_AUTH", "tls"))).isEqualTo("TLS");
    assertThat(auth(Map.of("MSK_AUTH", "plaintext"))).isEqualTo("PLAINTEXT");
    assertThat(auth(Map.of("MSK_AUTH", "scram", "MSK_SCRAM_USERNAME", "u", "MSK_SCRAM_PASSWORD", "p")))
        .isEqualTo("SCRAM_SHA_512(user=u)");
    assertThat(
            auth(
                Map.of(
                    "MSK_ROLE_ARN", "arn:aws:iam::123456789012:role/writer",
                    "MSK_ROLE_SESSION_NAME", "orders")))
        .isEqualTo("IAM(role arn:aws:iam::123456789012:role/writer as session orders)");
    assertThat(auth(Map.of("MSK_AUTH", "iam-legacy"))).isEqualTo("IAM_LEGACY(default credentials chain)");
    assertThat(auth(Map.of("AWS_DEFAULT_REGION", "us-east-2"))).isNull();
  }

  @Test
  void accessKeysInTheEnvironment_signTheTokens_unlessAProfileOrRoleIsChosen() {
    Map<String, String> keys =
        Map.of("AWS_ACCESS_KEY_ID", "AKIAEXAMPLEKEY", "AWS_SECRET_ACCESS_KEY", "secret-value");
    assertThat(auth(keys)).isEqualTo("IAM(static keys AKIA…)").doesNotContain("secret-value");
    Map<String, String> temporary = new java.util.HashMap<>(keys);
    temporary.put("AWS_SESSION_TOKEN", "token-value");
    assertThat(auth(temporary)).isEqualTo("IAM(static keys AKIA… with session token)");
    Map<String, String> withProfile = new java.util.HashMap<>(keys);
    withProfile.put("MSK_AWS_PROFILE", "dev");
    assertThat(auth(withProfile)).isEqualTo("IAM(profile dev)");
    Map<String, String> legacy = new java.util.HashMap<>(keys);
    legacy.put("MSK_AUTH", "iam-legacy");
    assertThat(auth(legacy)).isEqualTo("IAM_LEGACY(default credentials chain)");
    bad(Map.of("AWS_ACCESS_KEY_ID", "AKIAEXAMPLEKEY"), "AWS_SECRET_ACCESS_KEY");
    bad(Map.of("AWS_SECRET_ACCESS_KEY", "secret-value"), "AWS_ACCESS_KEY_ID");
    // Another mechanism: the keys are not its business, half of them is no error.
    assertThat(auth(Map.of("MSK_AUTH", "tls", "AWS_ACCESS_KEY_ID", "AKIAEXAMPLEKEY"))).isEqualTo("TLS");
    // The process environment's keys are the SDK's default chain's to read.
    Recorder r = new Recorder();
    EnvironmentConfig.apply(keys, r, false);
    assertThat(r.set.get("auth")).isNull();
  }

  @Test
  void badValues_nameTheVariable() {
    bad(Map.of("MSK_AUTH", "kerberos"), "MSK_AUTH");
    bad(Map.of("MSK_ACKS", "2"), "MSK_ACKS");
    bad(Map.of("MSK_COMPRESSION", "brotli"), "MSK_COMPRESSION");
    bad(Map.of("MSK_LINGER_MS", "ten"), "MSK_LINGER_MS");
    bad(Map.of("MSK_BATCH_SIZE", "0"), "MSK_BATCH_SIZE");
    bad(Map.of("MSK_REQUEST_TIMEOUT_MS", "0"), "MSK_REQUEST_TIMEOUT_MS");
    bad(Map.of("MSK_BOOTSTRAP_SERVERS", "nohost"), "MSK_BOOTSTRAP_SERVERS");
    bad(Map.of("AWS_REGION", "Mars"), "AWS_REGION");
    bad(Map.of("MSK_ROLE_ARN", "arn:aws:iam::123456789012:role/x"), "MSK_ROLE_SESSION_NAME");
    bad(Map.of("MSK_AUTH", "scram"), "MSK_SCRAM_USERNAME");
    bad(Map.of("MSK_AUTH", "tls", "MSK_AWS_PROFILE", "dev"), "MSK_AUTH");
  }

  @Test
  void everyVariableRead_isListed_andEachAloneIsAcceptedOrNamed() {
    assertThat(io.github.mskproducer.core.MskProducerBuilder.ENVIRONMENT_VARIABLES)
        .isEqualTo(EnvironmentConfig.VARIABLES)
        .doesNotHaveDuplicates()
        .allMatch(v -> v.startsWith("MSK_") || v.startsWith("AWS_"));
    // Reading a variable not in the list throws IllegalStateException: set each one alone to a
    // value that is wrong for most, and see only accepted values or errors naming the variable.
    for (String variable : EnvironmentConfig.VARIABLES) {
      Map<String, String> env = Map.of(variable, "not-valid-x");
      try {
        EnvironmentConfig.apply(env, new Recorder(), true);
      } catch (MskConfigurationException e) {
        assertThat(e.option()).as(variable).matches("(MSK|AWS)_[A-Z_]+");
      }
    }
  }

  /** Through the real builder, whose setters check the values. */
  private static void bad(Map<String, String> env, String variable) {
    assertThatThrownBy(
            () -> io.github.mskproducer.core.MskProducer.builder(String.class, String.class).fromEnvironment(env))
        .isInstanceOf(MskConfigurationException.class)
        .hasMessageContaining(variable)
        .satisfies(e -> assertThat(((MskConfigurationException) e).option()).isEqualTo(variable));
  }

  private static String auth(Map<String, String> env) {
    Recorder r = new Recorder();
    EnvironmentConfig.apply(env, r, true);
    Object auth = r.set.get("auth");
    return auth == null ? null : auth.toString();
  }
}
