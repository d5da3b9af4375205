package io.github.mskproducer.core.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mskproducer.core.internal.Version;
import io.github.mskproducer.testkit.TestIdentity;
import io.github.mskproducer.testkit.internal.broker.SystemPropertyCredentials;
import io.github.mskproducer.testkit.internal.control.IamSettings;
import io.github.mskproducer.testkit.internal.control.Identity;
import io.github.mskproducer.testkit.internal.server.iam.MskIamTokenValidator;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.security.auth.callback.Callback;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerTokenCallback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.msk.auth.iam.IAMOAuthBearerLoginCallbackHandler;

class IamTokenGeneratorTest {
  private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

  static Stream<JsonNode> vectors() throws Exception {
    try (InputStream in = IamTokenGeneratorTest.class.getResourceAsStream("/msk-iam-sigv4-vectors.json")) {
      List<JsonNode> list = new ArrayList<>();
      new ObjectMapper().readTree(in).get("vectors").forEach(list::add);
      return list.stream();
    }
  }

  @ParameterizedTest
  @MethodSource("vectors")
  void presignedUrl_reproducesEveryKnownAnswerVector_underAFixedClock(JsonNode v) {
    Instant date = LocalDateTime.parse(v.get("date").asText(), AMZ_DATE).toInstant(ZoneOffset.UTC);
    AwsBasicCredentials basic =
        AwsBasicCredentials.create(v.get("accessKeyId").asText(), v.get("secretAccessKey").asText());
    var credentials =
        v.get("sessionToken").isNull()
            ? basic
            : AwsSessionCredentials.create(
                basic.accessKeyId(), basic.secretAccessKey(), v.get("sessionToken").asText());
    IamTokenGenerator generator = new IamTokenGenerator(Clock.fixed(date, ZoneOffset.UTC), "test");

    String url =
        generator.presignedUrl(
            v.get("host").asText(), v.get("region").asText(), credentials, date, v.get("expiresSeconds").asLong());

    assertThat(params(url)).containsEntry("X-Amz-Signature", v.get("signature").asText());
  }

  @Test
  void generate_makesAnMskIamToken_thatTheBrokersValidatorAccepts() throws Exception {
    TestIdentity id = TestIdentity.randomWithSessionToken("writer");
    Instant now = Instant.parse("2026-11-25T10:00:00Z");
    IamTokenGenerator generator =
        new IamTokenGenerator(Clock.fixed(now, ZoneOffset.UTC), Version.userAgent());

    IamTokenGenerator.Token token = generator.generate(id.toAwsCredentials(), "eu-west-1");

    assertThat(token.value()).doesNotContain("=").doesNotContain("+").doesNotContain("/");
    String url = decode(token.value());
    assertThat(url).startsWith("https://kafka.eu-west-1.amazonaws.com?Action=kafka-cluster%3AConnect&");
    Map<String, String> p = params(url);
    assertThat(p)
        .containsEntry("X-Amz-Expires", "900")
        .containsEntry("X-Amz-Date", "20261125T100000Z")
        .containsEntry("User-Agent", "msk-producer/" + Version.get())
        .containsEntry("X-Amz-Security-Token", id.sessionToken().get());
    assertThat(Version.get()).isNotEqualTo("unknown");
    assertThat(token.expiresAt()).isEqualTo(now.plusSeconds(900));
    MskIamTokenValidator.Verdict verdict =
        new MskIamTokenValidator(Clock.fixed(now.plusSeconds(1), ZoneOffset.UTC))
            .validateOAuthBearerToken(
                token.value(), IamSettings.create("eu-west-1", Set.of()).withIdentity(control(id)));
    assertThat(verdict.accepted()).as(verdict.toString()).isTrue();
  }

  @Test
  void generate_neverOutlivesTheCredentials() throws Exception {
    Instant now = Instant.parse("2026-11-25T10:00:00Z");
    IamTokenGenerator generator = new IamTokenGenerator(Clock.fixed(now, ZoneOffset.UTC), "t");
    AwsSessionCredentials expiringSoon =
        AwsSessionCredentials.builder()
            .accessKeyId("ASIAEXAMPLE")
            .secretAccessKey("secret")
            .sessionToken("token")
            .expirationTime(now.plusSeconds(120))
            .build();
    AwsSessionCredentials expired = expiringSoon.toBuilder().expirationTime(now.minusSeconds(1)).build();

    IamTokenGenerator.Token token = generator.generate(expiringSoon, "us-east-1");

    assertThat(params(decode(token.value()))).containsEntry("X-Amz-Expires", "120");
    assertThat(token.expiresAt()).isEqualTo(now.plusSeconds(120));
    assertThatThrownBy(() -> generator.generate(expired, "us-east-1"))
        .isInstanceOf(CredentialsException.class)
        .hasMessageContaining("expired")
        .hasMessageNotContaining("secret")
        .extracting(e -> ((CredentialsException) e).kind())
        .isEqualTo(CredentialsException.Kind.EXPIRED);
  }

  @Test
  void tokens_carryTheSameParametersAsAwsMskIamAuth_apartFromDateUserAgentAndSignature()
      throws Exception {
    TestIdentity id = TestIdentity.randomWithSessionToken("writer");
    Map<String, String> ours =
        params(decode(new IamTokenGenerator(Clock.systemUTC(), "x").generate(id.toAwsCredentials(), "us-east-1").value()));
    Map<String, String> theirs = params(decode(awsMskIamAuthToken(id, "us-east-1")));

    assertThat(ours.keySet()).containsExactlyInAnyOrderElementsOf(theirs.keySet());
    for (String key : ours.keySet()) {
      switch (key) {
        case "X-Amz-Date":
        case "X-Amz-Signature":
        case "User-Agent":
          break;
        case "X-Amz-Credential":
          // <key>/<date>/<region>/kafka-cluster/aws4_request: the date may differ at midnight
          assertThat(ours.get(key).replaceAll("/\\d{8}/", "/D/"))
              .isEqualTo(theirs.get(key).replaceAll("/\\d{8}/", "/D/"));
          break;
        case "X-Amz-Expires":
          // aws-msk-iam-auth computes now+15 min minus signing time: 900, or 899 on a tick
          assertThat(Integer.parseInt(theirs.get(key))).isBetween(899, 900);
          assertThat(ours.get(key)).isEqualTo("900");
          break;
        default:
          assertThat(ours.get(key)).as(key).isEqualTo(theirs.get(key));
      }
    }
  }

  @Test
  void callbackHandler_signsAFreshTokenForEveryCallback_andNeedsARegisteredProducer() throws Exception {
    TestIdentity id = TestIdentity.random("writer");
    Instant[] now = {Instant.parse("2026-11-25T10:00:00Z")};
    Clock clock =
        new Clock() {
          @Override
          public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return now[0];
          }
        };
    List<Instant> heard = new ArrayList<>();
    String sourceId =
        TokenSources.register(
            new TokenSource(
                id::toAwsCredentials, "test", "us-east-1", new IamTokenGenerator(clock, "t"), (r, e) -> heard.add(e)));
    try {
      MskIamCallbackHandler handler = new MskIamCallbackHandler();
      handler.configure(Map.of(), "OAUTHBEARER", List.of(jaas(Map.of("mskProducerId", sourceId))));
      OAuthBearerTokenCallback first = new OAuthBearerTokenCallback();
      handler.handle(new Callback[] {first});
      now[0] = now[0].plusSeconds(600);
      OAuthBearerTokenCallback second = new OAuthBearerTokenCallback();
      handler.handle(new Callback[] {second});

      assertThat(first.token().value()).isNotEqualTo(second.token().value());
      assertThat(second.token().startTimeMs()).isEqualTo(now[0].toEpochMilli());
      assertThat(second.token().lifetimeMs()).isEqualTo(now[0].plusSeconds(900).toEpochMilli());
      assertThat(heard).hasSize(2);
      assertThat(second.token().toString()).doesNotContain(second.token().value());
    } finally {
      TokenSources.unregister(sourceId);
    }
    MskIamCallbackHandler orphan = new MskIamCallbackHandler();
    assertThatThrownBy(
            () -> orphan.configure(Map.of(), "OAUTHBEARER", List.of(jaas(Map.of("mskProducerId", sourceId)))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed or unknown");
  }

  // ------------------------------------------------------------------ helpers

  private static AppConfigurationEntry jaas(Map<String, ?> options) {
    return new AppConfigurationEntry(
        OAuthBearerLoginModule.class.getName(), AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, options);
  }

  static String decode(String token) {
    return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
  }

  static Map<String, String> params(String url) {
    Map<String, String> p = new LinkedHashMap<>();
    for (String pair : url.substring(url.indexOf('?') + 1).split("&")) {
      int eq = pair.indexOf('=');
      p.put(
          URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return p;
  }

  /** The broker side's view of a test identity. */
  private static Identity control(TestIdentity id) {
    return new Identity(
        id.name(), id.accessKeyId(), id.secretAccessKey(), id.sessionToken().orElse(null));
  }

  private static String awsMskIamAuthToken(TestIdentity id, String region) throws Exception {
    Map<String, String> saved = SystemPropertyCredentials.snapshot();
    try {
      SystemPropertyCredentials.apply(id, region);
      IAMOAuthBearerLoginCallbackHandler handler = new IAMOAuthBearerLoginCallbackHandler();
      handler.configure(Map.of(), "OAUTHBEARER", List.of(jaas(Map.of())));
      OAuthBearerTokenCallback callback = new OAuthBearerTokenCallback();
      handler.handle(new Callback[] {callback});
      return callback.token().value();
    } finally {
      SystemPropertyCredentials.restore(saved);
    }
  }
}
