package io.github.mskproducer.testkit.internal.server.iam;

import io.github.mskproducer.testkit.internal.control.IamSettings;
import io.github.mskproducer.testkit.internal.control.Identities;
import io.github.mskproducer.testkit.internal.control.Identity;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mskproducer.testkit.internal.server.iam.MskIamTokenValidator.Reason;
import io.github.mskproducer.testkit.internal.server.iam.MskIamTokenValidator.Verdict;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.msk.auth.iam.internals.AWS4SignedPayloadGenerator;
import software.amazon.msk.auth.iam.internals.AuthenticationRequestParams;
import software.amazon.msk.auth.iam.internals.region.ConfigurableRegionProvider;
import software.amazon.awssdk.regions.Region;

class MskIamTokenValidatorTest {
  private static final String REGION = "us-east-1";
  private static final String HOST = "kafka.us-east-1.amazonaws.com";
  private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

  private final Identity writer = Identities.random("writer");
  private final Identity temporary = Identities.randomWithSessionToken("temporary");
  private final IamSettings settings =
      IamSettings.create(REGION, Set.of("localhost", "127.0.0.1"))
          .withIdentity(writer)
          .withIdentity(temporary);
  private final MskIamTokenValidator atNow =
      new MskIamTokenValidator(Clock.fixed(NOW, ZoneOffset.UTC));
  private final MskIamTokenValidator realClock = new MskIamTokenValidator(Clock.systemUTC());

  // ------------------------------------------------------------ known-answer vectors

  static Stream<JsonNode> vectors() throws Exception {
    try (InputStream in =
        MskIamTokenValidatorTest.class.getResourceAsStream("/msk-iam-sigv4-vectors.json")) {
      List<JsonNode> list = new ArrayList<>();
      new ObjectMapper().readTree(in).get("vectors").forEach(list::add);
      assertThat(list).hasSize(3);
      return list.stream();
    }
  }

  private static Identity vectorIdentity(JsonNode v) {
    Identity id =
        Identities.of(
            "vector", v.get("accessKeyId").asText(), v.get("secretAccessKey").asText());
    return v.get("sessionToken").isNull() ? id : Identities.withSessionToken(id, v.get("sessionToken").asText());
  }

  private static Instant vectorDate(JsonNode v) {
    return LocalDateTime.parse(v.get("date").asText(), TestTokens.AMZ_DATE).toInstant(ZoneOffset.UTC);
  }

  @ParameterizedTest
  @MethodSource("vectors")
  void sign_reproducesEveryKnownAnswerVector(JsonNode v) {
    String signature =
        MskIamTokenValidator.sign(
            v.get("host").asText(),
            Map.of("Action", "kafka-cluster:Connect"),
            vectorIdentity(v),
            v.get("region").asText(),
            vectorDate(v),
            v.get("expiresSeconds").asInt());

    assertThat(signature).isEqualTo(v.get("signature").asText());
  }

  @ParameterizedTest
  @MethodSource("vectors")
  void validate_acceptsEveryKnownAnswerVectorWithItsPublishedSignature(JsonNode v)
      throws Exception {
    Identity id = vectorIdentity(v);
    Instant date = vectorDate(v);
    String region = v.get("region").asText();
    IamSettings s = IamSettings.create(region, Set.of("localhost")).withIdentity(id);
    MskIamTokenValidator validator =
        new MskIamTokenValidator(Clock.fixed(date.plusSeconds(1), ZoneOffset.UTC));
    Map<String, String> params =
        TestTokens.params(id, region, date, v.get("expiresSeconds").asText());
    params.put("X-Amz-Signature", v.get("signature").asText());

    Verdict verdict;
    if (v.get("host").asText().equals("localhost")) {
      // Signed for a broker host: that is the legacy AWS_MSK_IAM payload's form.
      Map<String, String> json = new LinkedHashMap<>();
      json.put("version", "2020_10_22");
      json.put("host", "localhost");
      json.put("user-agent", "test");
      params.forEach((k, val) -> json.put(k.toLowerCase(), val));
      verdict = validator.validateLegacyPayload(new ObjectMapper().writeValueAsBytes(json), s);
    } else {
      verdict = validator.validateOAuthBearerToken(TestTokens.token(v.get("host").asText(), params), s);
    }

    assertThat(verdict.accepted()).as(verdict.toString()).isTrue();
    assertThat(verdict.expiresAt()).isEqualTo(date.plusSeconds(v.get("expiresSeconds").asInt()));
  }

  // ------------------------------------------------------------ the reference signer

  @Test
  void validate_acceptsTokenFromAwsMskIamAuth_withLongTermCredentials() throws Exception {
    String token = TestTokens.fromAwsMskIamAuth(writer, REGION);

    Verdict verdict = realClock.validateOAuthBearerToken(token, settings);

    assertThat(verdict.accepted()).as(verdict.toString()).isTrue();
    assertThat(verdict.identity()).isEqualTo(writer);
    assertThat(Duration.between(verdict.issuedAt(), verdict.expiresAt()).getSeconds())
        .isBetween(899L, 900L);
  }

  @Test
  void validate_acceptsTokenFromAwsMskIamAuth_withSessionToken() throws Exception {
    String token = TestTokens.fromAwsMskIamAuth(temporary, REGION);
    assertThat(TestTokens.decode(token)).contains("X-Amz-Security-Token=");

    Verdict verdict = realClock.validateOAuthBearerToken(token, settings);

    assertThat(verdict.accepted()).as(verdict.toString()).isTrue();
    assertThat(verdict.identity().name()).isEqualTo("temporary");
  }

  @Test
  void validate_acceptsLegacyPayloadFromAwsMskIamAuth() throws Exception {
    for (Identity id : List.of(writer, temporary)) {
      byte[] payload =
          new AWS4SignedPayloadGenerator()
              .signedPayload(
                  AuthenticationRequestParams.create(
                      "localhost",
                      id.sessionToken().isPresent()
                          ? AwsSessionCredentials.create(
                              id.accessKeyId(), id.secretAccessKey(), id.sessionToken().get())
                          : AwsBasicCredentials.create(id.accessKeyId(), id.secretAccessKey()),
                      "test-agent",
                      US_EAST_1));

      Verdict verdict = realClock.validateLegacyPayload(payload, settings);

      assertThat(verdict.accepted()).as(verdict.toString()).isTrue();
      assertThat(verdict.identity()).isEqualTo(id);
    }
  }

  @Test
  void validate_acceptsChangedUserAgent_becauseItIsNotSigned() throws Exception {
    String url = TestTokens.decode(TestTokens.fromAwsMskIamAuth(writer, REGION));
    assertThat(url).contains("&User-Agent=");
    String changed = url.replaceAll("User-Agent=[^&]*", "User-Agent=somebody-else%2F9.9");

    Verdict verdict = realClock.validateOAuthBearerToken(TestTokens.encode(changed), settings);

    assertThat(verdict.accepted()).as(verdict.toString()).isTrue();
  }

  @Test
  void validate_acceptsParametersInAnyOrder_andPaddedBase64() {
    Map<String, String> signed = signedNow(writer);
    List<String> keys = new ArrayList<>(signed.keySet());
    java.util.Collections.sort(keys);
    Map<String, String> sorted = new LinkedHashMap<>();
    keys.forEach(k -> sorted.put(k, signed.get(k)));
    String padded =
        java.util.Base64.getUrlEncoder()
            .encodeToString(TestTokens.decode(TestTokens.token(HOST, sorted)).getBytes(StandardCharsets.UTF_8));

    assertThat(atNow.validateOAuthBearerToken(padded, settings).accepted()).isTrue();
  }

  // ------------------------------------------------------------ tampering, one reason each

  @Test
  void validate_rejectsWrongSecret() {
    Identity impostor = Identities.of("writer", writer.accessKeyId(), "not-the-secret");
    Map<String, String> p = TestTokens.params(writer, REGION, NOW, "900");

    Verdict verdict =
        atNow.validateOAuthBearerToken(
            TestTokens.token(HOST, TestTokens.sign(p, HOST, impostor, REGION, NOW, 900)), settings);

    assertRejected(verdict, Reason.SIGNATURE_MISMATCH);
  }

  @Test
  void validate_rejectsUnknownAccessKey() {
    Identity stranger = Identities.random("stranger");

    assertRejected(
        atNow.validateOAuthBearerToken(TestTokens.token(HOST, signedNow(stranger)), settings),
        Reason.UNKNOWN_ACCESS_KEY);
  }

  @Test
  void validate_rejectsChangedExpires() {
    Map<String, String> p = signedNow(writer);
    p.put("X-Amz-Expires", "899");

    assertRejected(
        atNow.validateOAuthBearerToken(TestTokens.token(HOST, p), settings),
        Reason.SIGNATURE_MISMATCH);
  }

  @Test
  void validate_rejectsExpiredToken() {
    Instant issued = NOW.minusSeconds(900);
    Map<String, String> p =
        TestTokens.sign(TestTokens.params(writer, REGION, issued, "900"), HOST, writer, REGION, issued, 900);

    assertRejected(
        atNow.validateOAuthBearerToken(TestTokens.token(HOST, p), settings), Reason.EXPIRED);
  }

  @Test
  void validate_acceptsTokenDatedWithinSkew_rejectsBeyondSkew() {
    Instant near = NOW.plus(Duration.ofMinutes(4));
    Instant far = NOW.plus(Duration.ofMinutes(6));
    Map<String, String> nearToken =
        TestTokens.sign(TestTokens.params(writer, REGION, near, "900"), HOST, writer, REGION, near, 900);
    Map<String, String> farToken =
        TestTokens.sign(TestTokens.params(writer, REGION, far, "900"), HOST, writer, REGION, far, 900);

    assertThat(atNow.validateOAuthBearerToken(TestTokens.token(HOST, nearToken), settings).accepted())
        .isTrue();
    assertRejected(
        atNow.validateOAuthBearerToken(TestTokens.token(HOST, farToken), settings),
        Reason.NOT_YET_VALID);
  }

  @Test
  void validate_appliesClockOffsetAndSkewAllowance() {
    String token = TestTokens.token(HOST, signedNow(writer));

    assertRejected(
        atNow.validateOAuthBearerToken(token, settings.withClockOffset(Duration.ofMinutes(16))),
        Reason.EXPIRED);
    assertRejected(
        atNow.validateOAuthBearerToken(
            token,
            settings.withClockOffset(Duration.ofSeconds(-30)).withClockSkewAllowance(Duration.ZERO)),
        Reason.NOT_YET_VALID);
  }

  @Test
  void validate_capsLifetimeAtMaxTokenLifetime() {
    String token = TestTokens.token(HOST, signedNow(writer));
    IamSettings capped = settings.withMaxTokenLifetime(Duration.ofSeconds(30));

    Verdict fresh = atNow.validateOAuthBearerToken(token, capped);
    Verdict late =
        new MskIamTokenValidator(Clock.fixed(NOW.plusSeconds(31), ZoneOffset.UTC))
            .validateOAuthBearerToken(token, capped);

    assertThat(fresh.expiresAt()).isEqualTo(NOW.plusSeconds(30));
    assertRejected(late, Reason.EXPIRED);
  }

  @Test
  void validate_rejectsWrongRegionInScope() throws Exception {
    String token = TestTokens.fromAwsMskIamAuth(writer, "us-west-2");

    assertRejected(realClock.validateOAuthBearerToken(token, settings), Reason.WRONG_REGION);
  }

  @Test
  void validate_rejectsWrongHost() {
    String brokerHost = "b-1.demo.abc123.c2.kafka.us-east-1.amazonaws.com";
    Map<String, String> p =
        TestTokens.sign(
            TestTokens.params(writer, REGION, NOW, "900"), brokerHost, writer, REGION, NOW, 900);

    assertRejected(
        atNow.validateOAuthBearerToken(TestTokens.token(brokerHost, p), settings), Reason.WRONG_HOST);
  }

  @Test
  void validate_rejectsWrongAction() {
    Map<String, String> p = TestTokens.params(writer, REGION, NOW, "900");
    p.put("Action", "kafka-cluster:DescribeCluster");

    assertRejected(
        atNow.validateOAuthBearerToken(
            TestTokens.token(HOST, TestTokens.sign(p, HOST, writer, REGION, NOW, 900)), settings),
        Reason.WRONG_ACTION);
  }

  @Test
  void validate_rejectsNonIntegerExpires() {
    for (String expires : List.of("900.0", "9e2", "abc", " 900", "")) {
      Map<String, String> p = signedNow(writer);
      p.put("X-Amz-Expires", expires);

      assertRejected(
          atNow.validateOAuthBearerToken(TestTokens.token(HOST, p), settings),
          Reason.INVALID_EXPIRES);
    }
  }

  @Test
  void validate_rejectsExpiresOutsideOneTo900() {
    for (int expires : List.of(0, 901, 3600)) {
      Map<String, String> p =
          TestTokens.sign(
              TestTokens.params(writer, REGION, NOW, Integer.toString(expires)),
              HOST,
              writer,
              REGION,
              NOW,
              Math.max(expires, 1));

      assertRejected(
          atNow.validateOAuthBearerToken(TestTokens.token(HOST, p), settings),
          Reason.INVALID_EXPIRES);
    }
  }

  @Test
  void validate_rejectsBase64Garbage() {
    for (String garbage : List.of("!!!not base64!!!", "", "aGVsbG8gd29ybGQ", "/w")) {
      assertRejected(atNow.validateOAuthBearerToken(garbage, settings), Reason.MALFORMED_TOKEN);
    }
  }

  @Test
  void validate_rejectsDuplicateParameters() {
    String url = TestTokens.decode(TestTokens.token(HOST, signedNow(writer)));

    assertRejected(
        atNow.validateOAuthBearerToken(TestTokens.encode(url + "&X-Amz-Expires=900"), settings),
        Reason.DUPLICATE_PARAMETER);
    assertRejected(
        atNow.validateOAuthBearerToken(
            TestTokens.encode(url + "&Action=kafka-cluster%3AConnect"), settings),
        Reason.DUPLICATE_PARAMETER);
  }

  @Test
  void validate_rejectsMissingSignature() {
    Map<String, String> p = signedNow(writer);
    p.remove("X-Amz-Signature");

    assertRejected(
        atNow.validateOAuthBearerToken(TestTokens.token(HOST, p), settings),
        Reason.MISSING_PARAMETER);
  }

  @Test
  void validate_rejectsMissingOrForeignSessionToken() {
    Map<String, String> withoutToken = signedNow(temporary);
    withoutToken.remove("X-Amz-Security-Token");
    Identity otherToken = Identities.withSessionToken(temporary, "some-other-session-token");
    Map<String, String> wrongToken =
        TestTokens.sign(TestTokens.params(otherToken, REGION, NOW, "900"), HOST, otherToken, REGION, NOW, 900);
    Identity writerWithToken = Identities.withSessionToken(writer, "unexpected");
    Map<String, String> unexpected =
        TestTokens.sign(
            TestTokens.params(writerWithToken, REGION, NOW, "900"), HOST, writerWithToken, REGION, NOW, 900);

    for (Map<String, String> p : List.of(withoutToken, wrongToken, unexpected)) {
      assertRejected(
          atNow.validateOAuthBearerToken(TestTokens.token(HOST, p), settings),
          Reason.SESSION_TOKEN_MISMATCH);
    }
  }

  @Test
  void validate_rejectsTamperedLegacyPayloads() throws Exception {
    byte[] payload =
        new AWS4SignedPayloadGenerator()
            .signedPayload(
                AuthenticationRequestParams.create(
                    "b-1.other-host.example",
                    AwsBasicCredentials.create(writer.accessKeyId(), writer.secretAccessKey()),
                    "test-agent",
                    US_EAST_1));
    assertRejected(realClock.validateLegacyPayload(payload, settings), Reason.WRONG_HOST);

    String duplicate = "{\"version\":\"2020_10_22\",\"host\":\"localhost\",\"host\":\"localhost\"}";
    assertRejected(
        realClock.validateLegacyPayload(duplicate.getBytes(StandardCharsets.UTF_8), settings),
        Reason.DUPLICATE_PARAMETER);
    assertRejected(
        realClock.validateLegacyPayload("not json".getBytes(StandardCharsets.UTF_8), settings),
        Reason.MALFORMED_TOKEN);
  }

  @Test
  void verdictDetail_neverContainsSecretSessionTokenOrSignature() {
    Map<String, String> p = signedNow(temporary);
    Map<String, String> badSignature = new LinkedHashMap<>(p);
    badSignature.put("X-Amz-Signature", "0".repeat(64));
    Map<String, String> wrongToken = new LinkedHashMap<>(p);
    wrongToken.put("X-Amz-Security-Token", "leaked-token-value");

    for (Map<String, String> variant : List.of(p, badSignature, wrongToken)) {
      Verdict v = atNow.validateOAuthBearerToken(TestTokens.token(HOST, variant), settings);
      assertThat(v.detail() + v)
          .doesNotContain(temporary.secretAccessKey())
          .doesNotContain(temporary.sessionToken().get())
          .doesNotContain("leaked-token-value")
          .doesNotContain(p.get("X-Amz-Signature"));
    }
  }

  // ------------------------------------------------------------ helpers

  /** Legacy payloads for a host with no region in its name take the region from here. */
  private static final ConfigurableRegionProvider US_EAST_1 =
      new ConfigurableRegionProvider() {
        @Override
        public Region getRegion(String host) {
          return Region.US_EAST_1;
        }

        @Override
        public Region getRegion() {
          return Region.US_EAST_1;
        }
      };

  private static Map<String, String> signedNow(Identity id) {
    return TestTokens.sign(TestTokens.params(id, REGION, NOW, "900"), HOST, id, REGION, NOW, 900);
  }

  private static void assertRejected(Verdict verdict, Reason reason) {
    assertThat(verdict.accepted()).as(verdict.toString()).isFalse();
    assertThat(verdict.reason()).as(verdict.toString()).isEqualTo(reason);
  }
}
