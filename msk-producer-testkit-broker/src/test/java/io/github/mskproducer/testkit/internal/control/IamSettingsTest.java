package io.github.mskproducer.testkit.internal.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IamSettingsTest {
  @TempDir Path dir;

  @Test
  void secondAccessKey_bothWorkUntilOneIsRemoved_andSurviveTheControlFile() {
    Identity first = Identities.random("app");
    Identity second = Identities.rotated(first);
    IamSettings settings =
        IamSettings.create("us-east-1", Set.of("localhost"))
            .withIdentity(first)
            .withIdentity(Identities.random("other"))
            .withAdditionalKey(second);
    Path file = dir.resolve("control.properties");
    ControlFile.write(file, settings);
    IamSettings read = new ControlFile(file).read();

    for (IamSettings s : new IamSettings[] {settings, read}) {
      assertThat(s.identityByAccessKey(first.accessKeyId())).contains(first);
      assertThat(s.identityByAccessKey(second.accessKeyId())).contains(second);
      assertThat(s.identity("app")).contains(second);
      assertThat(s.identities()).extracting(Identity::name).containsExactly("app", "other");
    }
    IamSettings removed = read.withoutAccessKey(first.accessKeyId());
    assertThat(removed.identityByAccessKey(first.accessKeyId())).isEmpty();
    assertThat(removed.identityByAccessKey(second.accessKeyId())).contains(second);
    assertThat(removed.identity("app")).contains(second);
    assertThatThrownBy(() -> removed.withoutAccessKey(first.accessKeyId()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(first.accessKeyId());
    assertThatThrownBy(() -> removed.withAdditionalKey(Identities.random("nobody")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nobody");
    // replacing an identity replaces all its keys
    IamSettings replaced = settings.withIdentity(Identities.random("app"));
    assertThat(replaced.identityByAccessKey(first.accessKeyId())).isEmpty();
    assertThat(replaced.identityByAccessKey(second.accessKeyId())).isEmpty();
  }

  @Test
  void controlFile_roundTripsEverySetting() {
    IamSettings settings =
        IamSettings.create("eu-west-1", Set.of("localhost", "127.0.0.1"))
            .withIdentity(Identities.random("a"))
            .withIdentity(Identities.randomWithSessionToken("b"))
            .withClockOffset(Duration.ofSeconds(-42))
            .withClockSkewAllowance(Duration.ofSeconds(7))
            .withMaxTokenLifetime(Duration.ofSeconds(30))
            .withConnectionRateLimit(5);
    Path file = dir.resolve("control.properties");

    ControlFile.write(file, settings);
    IamSettings read = new ControlFile(file).read();

    assertThat(read.region()).isEqualTo("eu-west-1");
    assertThat(read.expectedHost()).isEqualTo("kafka.eu-west-1.amazonaws.com");
    assertThat(read.identities()).containsExactlyElementsOf(settings.identities());
    assertThat(read.clockOffset()).isEqualTo(Duration.ofSeconds(-42));
    assertThat(read.clockSkewAllowance()).isEqualTo(Duration.ofSeconds(7));
    assertThat(read.maxTokenLifetime()).contains(Duration.ofSeconds(30));
    assertThat(read.connectionRateLimit()).isEqualTo(5);
    assertThat(read.brokerHosts()).containsExactlyInAnyOrder("localhost", "127.0.0.1");
  }

  @Test
  void withIdentity_replacesByName_andLooksUpByAccessKey() {
    Identity first = Identities.random("writer");
    Identity rotated = Identities.rotated(first);

    IamSettings s = IamSettings.create("us-east-1", Set.of()).withIdentity(first).withIdentity(rotated);

    assertThat(s.identities()).containsExactly(rotated);
    assertThat(s.identityByAccessKey(first.accessKeyId())).isEmpty();
    assertThat(s.identityByAccessKey(rotated.accessKeyId())).contains(rotated);
  }

  @Test
  void withIdentity_rejectsAnAccessKeyOfAnotherIdentity() {
    Identity a = Identities.random("a");
    Identity b = Identities.of("b", a.accessKeyId(), "other");

    assertThatThrownBy(() -> IamSettings.create("us-east-1", Set.of()).withIdentity(a).withIdentity(b))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(a.accessKeyId())
        .hasMessageContaining("'a'");
  }

  @Test
  void badKnobValues_areRejectedWithTheirName() {
    IamSettings s = IamSettings.create("us-east-1", Set.of());

    assertThatThrownBy(() -> s.withClockSkewAllowance(Duration.ofSeconds(-1)))
        .hasMessageContaining("clockSkewAllowance");
    assertThatThrownBy(() -> s.withMaxTokenLifetime(Duration.ZERO))
        .hasMessageContaining("maxTokenLifetime");
    assertThatThrownBy(() -> s.withConnectionRateLimit(-1))
        .hasMessageContaining("connection rate limit");
  }
}
