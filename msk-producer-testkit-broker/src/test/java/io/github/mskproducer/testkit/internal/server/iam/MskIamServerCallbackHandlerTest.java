package io.github.mskproducer.testkit.internal.server.iam;

import io.github.mskproducer.testkit.internal.control.ControlFile;
import io.github.mskproducer.testkit.internal.control.IamSettings;
import io.github.mskproducer.testkit.internal.control.Identities;
import io.github.mskproducer.testkit.internal.control.Identity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.security.auth.callback.Callback;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerValidatorCallback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MskIamServerCallbackHandlerTest {
  private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
  private static final String HOST = "kafka.us-east-1.amazonaws.com";

  @TempDir Path dir;

  private final Identity writer = Identities.random("writer");

  /** A clock the test moves by hand. */
  private static final class ManualClock extends Clock {
    Instant now = NOW;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private MskIamServerCallbackHandler handler(Clock clock, IamSettings settings) {
    Path control = dir.resolve("control.properties");
    ControlFile.write(control, settings);
    MskIamServerCallbackHandler h = new MskIamServerCallbackHandler(clock);
    h.configure(
        Map.of(),
        "OAUTHBEARER",
        List.of(
            new AppConfigurationEntry(
                "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule",
                AppConfigurationEntry.LoginModuleControlFlag.REQUIRED,
                Map.of("controlFile", control.toString()))));
    return h;
  }

  private String token() {
    return TestTokens.token(
        HOST,
        TestTokens.sign(
            TestTokens.params(writer, "us-east-1", NOW, "900"), HOST, writer, "us-east-1", NOW, 900));
  }

  private IamSettings settings() {
    return IamSettings.create("us-east-1", Set.of("localhost")).withIdentity(writer);
  }

  @Test
  void handle_acceptedToken_givesPrincipalAndTokenExpiryAsSessionLifetime() throws Exception {
    MskIamServerCallbackHandler h = handler(new ManualClock(), settings());
    OAuthBearerValidatorCallback callback = new OAuthBearerValidatorCallback(token());

    h.handle(new Callback[] {callback});

    assertThat(callback.errorStatus()).isNull();
    assertThat(callback.token().principalName()).isEqualTo("writer");
    assertThat(callback.token().lifetimeMs()).isEqualTo(NOW.plusSeconds(900).toEpochMilli());
    assertThat(callback.token().startTimeMs()).isEqualTo(NOW.toEpochMilli());
    assertThat(callback.token().toString()).doesNotContain(token());
  }

  @Test
  void handle_rejectedToken_givesStandardInvalidTokenError() throws Exception {
    MskIamServerCallbackHandler h = handler(new ManualClock(), settings().withoutIdentity("writer"));
    OAuthBearerValidatorCallback callback = new OAuthBearerValidatorCallback(token());

    h.handle(new Callback[] {callback});

    assertThat(callback.token()).isNull();
    assertThat(callback.errorStatus()).isEqualTo("invalid_token");
  }

  @Test
  void handle_seesControlFileChangesAtOnce() throws Exception {
    MskIamServerCallbackHandler h = handler(new ManualClock(), settings());
    OAuthBearerValidatorCallback first = new OAuthBearerValidatorCallback(token());
    h.handle(new Callback[] {first});
    ControlFile.write(dir.resolve("control.properties"), settings().withoutIdentity("writer"));
    OAuthBearerValidatorCallback second = new OAuthBearerValidatorCallback(token());

    h.handle(new Callback[] {second});

    assertThat(first.token()).isNotNull();
    assertThat(second.token()).isNull();
  }

  @Test
  void handle_overConnectionRateLimit_failsWithTooManyConnects_untilTheNextSecond()
      throws Exception {
    ManualClock clock = new ManualClock();
    MskIamServerCallbackHandler h = handler(clock, settings().withConnectionRateLimit(2));

    h.handle(new Callback[] {new OAuthBearerValidatorCallback(token())});
    h.handle(new Callback[] {new OAuthBearerValidatorCallback(token())});
    assertThatThrownBy(() -> h.handle(new Callback[] {new OAuthBearerValidatorCallback(token())}))
        .isInstanceOf(SaslAuthenticationException.class)
        .hasMessage("Too many connects");

    clock.now = clock.now.plusSeconds(1);
    OAuthBearerValidatorCallback later = new OAuthBearerValidatorCallback(token());
    h.handle(new Callback[] {later});
    assertThat(later.token()).isNotNull();
  }

  @Test
  void configure_withoutControlFileOption_namesTheOption() {
    MskIamServerCallbackHandler h = new MskIamServerCallbackHandler();

    assertThatThrownBy(() -> h.configure(Map.of(), "OAUTHBEARER", List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("controlFile");
    assertThatThrownBy(() -> h.configure(Map.of(), "PLAIN", List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PLAIN");
  }
}
