package io.github.mskproducer.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mskproducer.core.Acks;
import io.github.mskproducer.core.Compression;
import io.github.mskproducer.core.MskAuth;
import io.github.mskproducer.core.MskConfigurationException;
import io.github.mskproducer.core.MskProducerConfig;
import io.github.mskproducer.core.Timeouts;
import io.github.mskproducer.spring.internal.ConfigMapping;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Properties to the SDK's config: every option through the SDK, every error named by property. */
class ConfigMappingTest {
  private static final String MSK = "b-1.demo.abc123.c2.kafka.us-east-1.amazonaws.com:9098";

  private static MskProducerProperties props() {
    MskProducerProperties p = new MskProducerProperties();
    p.setBootstrapServers(MSK);
    return p;
  }

  @Test
  void unsetProperties_stayUnset_setOnesArePassedOn() {
    MskProducerConfig empty = ConfigMapping.toConfig(props());
    assertThat(empty.acks()).isEmpty();
    assertThat(empty.linger()).isEmpty();
    assertThat(empty.timeouts().isDefault()).isTrue();
    assertThat(empty.auth()).as("the SDK's default, IAM with the default chain").isEmpty();

    MskProducerProperties p = props();
    p.setAcks(Acks.LEADER);
    p.setCompression(Compression.ZSTD);
    p.setLinger(Duration.ofMillis(7));
    p.getTimeouts().setDelivery(Duration.ofSeconds(40));
    p.getRetry().setMaxAttempts(3);
    p.getProperties().put("max.request.size", "2097152");
    p.getAuth().setProfile("dev");
    MskProducerConfig c = ConfigMapping.toConfig(p);
    assertThat(c.acks()).contains(Acks.LEADER);
    assertThat(c.compression()).contains(Compression.ZSTD);
    assertThat(c.linger()).contains(Duration.ofMillis(7));
    assertThat(c.timeouts().isSet(Timeouts.Option.DELIVERY)).isTrue();
    assertThat(c.timeouts().isSet(Timeouts.Option.REQUEST)).isFalse();
    assertThat(c.retry()).hasValueSatisfying(r -> assertThat(r.maxAttempts()).isEqualTo(3));
    assertThat(c.properties()).containsEntry("max.request.size", "2097152");
    assertThat(c.auth()).contains(MskAuth.iam(b -> b.profile("dev")));
  }

  @Test
  void badValues_areNamedByTheirProperty_withTheSdksMessage() {
    MskProducerProperties p = props();
    p.setLinger(Duration.ofMillis(-1));
    assertThatThrownBy(() -> ConfigMapping.toConfig(p))
        .isInstanceOfSatisfying(
            MskConfigurationException.class,
            e -> assertThat(e.option()).isEqualTo("msk.producer.linger"))
        .hasMessageStartingWith("msk.producer.linger: linger");

    MskProducerProperties t = props();
    t.getTimeouts().setRequest(Duration.ZERO);
    assertThatThrownBy(() -> ConfigMapping.toConfig(t))
        .isInstanceOfSatisfying(
            MskConfigurationException.class,
            e -> assertThat(e.option()).isEqualTo("msk.producer.timeouts.request"));

    MskProducerProperties k = props();
    k.getProperties().put("sasl.mechanism", "PLAIN");
    assertThatThrownBy(() -> ConfigMapping.toConfig(k))
        .isInstanceOfSatisfying(
            MskConfigurationException.class,
            e -> assertThat(e.option()).isEqualTo("msk.producer.properties[sasl.mechanism]"))
        .hasMessageContaining("auth(...)");

    MskProducerProperties a = props();
    a.getAuth().setAccessKeyId("AKIAEXAMPLE");
    assertThatThrownBy(() -> ConfigMapping.toConfig(a))
        .hasMessageContaining("msk.producer.auth.secret-access-key");

    MskProducerProperties s = props();
    s.getAuth().setMechanism(MskProducerProperties.Auth.Mechanism.SCRAM);
    assertThatThrownBy(() -> ConfigMapping.toConfig(s)).hasMessageContaining("auth.username");

    MskProducerProperties r = props();
    r.getReconnectBackoff().setInitial(Duration.ofSeconds(2));
    assertThatThrownBy(() -> ConfigMapping.toConfig(r))
        .hasMessageContaining("msk.producer.reconnect-backoff.max");
  }

  @Test
  void theSdksOptionNames_becomePropertyNames() {
    assertThat(ConfigMapping.property("bootstrapServers")).isEqualTo("msk.producer.bootstrap-servers");
    assertThat(ConfigMapping.property("auth")).isEqualTo("msk.producer.auth");
    assertThat(ConfigMapping.property("msk.producer.linger")).isEqualTo("msk.producer.linger");
    MskConfigurationException named =
        ConfigMapping.named(new MskConfigurationException("bootstrapServers", "bootstrapServers is missing"));
    assertThat(named.option()).isEqualTo("msk.producer.bootstrap-servers");
    assertThat(named.getMessage()).isEqualTo("msk.producer.bootstrap-servers: bootstrapServers is missing");
  }
}
