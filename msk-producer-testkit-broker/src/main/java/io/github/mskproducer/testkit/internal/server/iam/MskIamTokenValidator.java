package io.github.mskproducer.testkit.internal.server.iam;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mskproducer.testkit.internal.control.IamSettings;
import io.github.mskproducer.testkit.internal.control.Identity;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * Verifies MSK IAM authentication tokens the way an MSK broker does: recomputes the SigV4
 * signature for the identity that the access key names (with the AWS SDK's own signer under a
 * clock fixed at the token's X-Amz-Date), then applies the policy checks (action, host, region,
 * scope, time window, X-Amz-Expires range). Every rejection has its own {@link Reason}.
 *
 * <p>Stateless and thread-safe. Never puts a secret, session token or signature into a {@link
 * Verdict}'s detail.
 *
 * <p>Some 540 lines because it holds, next to the checks in the order a broker makes them, the
 * {@link Reason} and {@link Verdict} types those checks return; each check is a few lines.
 */
public final class MskIamTokenValidator {
  public static final String SERVICE = "kafka-cluster";
  public static final String CONNECT_ACTION = "kafka-cluster:Connect";
  public static final String ALGORITHM = "AWS4-HMAC-SHA256";
  public static final String LEGACY_VERSION = "2020_10_22";
  public static final int MAX_EXPIRES_SECONDS = 900;

  static final String ACTION = "Action";
  static final String X_AMZ_ALGORITHM = "X-Amz-Algorithm";
  static final String X_AMZ_CREDENTIAL = "X-Amz-Credential";
  static final String X_AMZ_DATE = "X-Amz-Date";
  static final String X_AMZ_EXPIRES = "X-Amz-Expires";
  static final String X_AMZ_SIGNED_HEADERS = "X-Amz-SignedHeaders";
  static final String X_AMZ_SIGNATURE = "X-Amz-Signature";
  static final String X_AMZ_SECURITY_TOKEN = "X-Amz-Security-Token";
  static final String USER_AGENT = "User-Agent";

  /** Parameters the signer computes itself; everything else in the query is signed as given. */
  private static final Set<String> SIGNER_PARAMETERS =
      Set.of(
          X_AMZ_ALGORITHM,
          X_AMZ_CREDENTIAL,
          X_AMZ_DATE,
          X_AMZ_EXPIRES,
          X_AMZ_SIGNED_HEADERS,
          X_AMZ_SIGNATURE,
          X_AMZ_SECURITY_TOKEN);

  private static final Map<String, String> LEGACY_KEYS = legacyKeys();
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withResolverStyle(ResolverStyle.STRICT);
  private static final DateTimeFormatter SCOPE_DATE =
      DateTimeFormatter.ofPattern("uuuuMMdd").withResolverStyle(ResolverStyle.STRICT);
  private static final Pattern INTEGER = Pattern.compile("[0-9]{1,9}");
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

  /** Why a token was rejected. */
  public enum Reason {
    MALFORMED_TOKEN,
    DUPLICATE_PARAMETER,
    MISSING_PARAMETER,
    UNSUPPORTED_ALGORITHM,
    WRONG_ACTION,
    INVALID_CREDENTIAL_SCOPE,
    WRONG_REGION,
    WRONG_HOST,
    INVALID_EXPIRES,
    INVALID_DATE,
    UNKNOWN_ACCESS_KEY,
    SESSION_TOKEN_MISMATCH,
    SIGNATURE_MISMATCH,
    NOT_YET_VALID,
    EXPIRED
  }

  /** The outcome: accepted with the identity and the token's validity, or rejected and why. */
  public static final class Verdict {
    private final Reason reason;
    private final String detail;
    private final Identity identity;
    private final Instant issuedAt;
    private final Instant expiresAt;

    private Verdict(
        Reason reason, String detail, Identity identity, Instant issuedAt, Instant expiresAt) {
      this.reason = reason;
      this.detail = detail;
      this.identity = identity;
      this.issuedAt = issuedAt;
      this.expiresAt = expiresAt;
    }

    static Verdict reject(Reason reason, String detail) {
      return new Verdict(reason, detail, null, null, null);
    }

    static Verdict accept(Identity identity, Instant issuedAt, Instant expiresAt) {
      return new Verdict(null, "accepted", identity, issuedAt, expiresAt);
    }

    public boolean accepted() {
      return reason == null;
    }

    /** The reason for a rejection; {@code null} when accepted. */
    public Reason reason() {
      return reason;
    }

    /** A message for the broker's debug log: never contains a secret. */
    public String detail() {
      return detail;
    }

    public Identity identity() {
      return identity;
    }

    public Instant issuedAt() {
      return issuedAt;
    }

    /** When the session must end: X-Amz-Date + X-Amz-Expires, or earlier under a cap. */
    public Instant expiresAt() {
      return expiresAt;
    }

    @Override
    public String toString() {
      return accepted()
          ? "accepted " + identity.principal() + " until " + expiresAt
          : "rejected " + reason + ": " + detail;
    }
  }

  private final Clock systemClock;

  public MskIamTokenValidator(Clock systemClock) {
    this.systemClock = Objects.requireNonNull(systemClock, "systemClock");
  }

  /**
   * Verifies an OAUTHBEARER token: base64url (padding optional) of a presigned URL for {@code
   * GET https://kafka.<region>.amazonaws.com/?Action=kafka-cluster:Connect&...}.
   */
  public Verdict validateOAuthBearerToken(String token, IamSettings settings) {
    if (token == null || token.isEmpty()) {
      return Verdict.reject(Reason.MALFORMED_TOKEN, "empty token");
    }
    String url;
    try {
      url = strictUtf8(Base64.getUrlDecoder().decode(token));
    } catch (IllegalArgumentException | CharacterCodingException e) {
      return Verdict.reject(Reason.MALFORMED_TOKEN, "token is not base64url of a UTF-8 URL");
    }
    if (!url.startsWith("https://")) {
      return Verdict.reject(Reason.MALFORMED_TOKEN, "token is not an https:// URL");
    }
    int query = url.indexOf('?');
    if (query < 0 || url.indexOf('#') >= 0) {
      return Verdict.reject(Reason.MALFORMED_TOKEN, "URL has no query, or has a fragment");
    }
    String authorityAndPath = url.substring("https://".length(), query);
    String host = authorityAndPath;
    if (host.endsWith("/")) {
      host = host.substring(0, host.length() - 1);
    }
    if (host.isEmpty() || host.contains("/") || host.contains("@")) {
      return Verdict.reject(
          Reason.MALFORMED_TOKEN, "URL path must be empty or '/', with a plain host");
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (String pair : url.substring(query + 1).split("&", -1)) {
      int eq = pair.indexOf('=');
      if (pair.isEmpty() || eq <= 0) {
        return Verdict.reject(Reason.MALFORMED_TOKEN, "query has a parameter without name=value");
      }
      String name;
      String value;
      try {
        name = percentDecode(pair.substring(0, eq));
        value = percentDecode(pair.substring(eq + 1));
      } catch (IllegalArgumentException e) {
        return Verdict.reject(Reason.MALFORMED_TOKEN, "query has a bad percent-encoding");
      }
      if (params.putIfAbsent(name, value) != null) {
        return Verdict.reject(Reason.DUPLICATE_PARAMETER, "parameter " + name + " appears twice");
      }
    }
    String expected = settings.expectedHost();
    return verify(
        host.toLowerCase(Locale.ROOT),
        params,
        expected::equals,
        "kafka.<region>.amazonaws.com, i.e. " + expected,
        settings);
  }

  /**
   * Verifies a legacy {@code AWS_MSK_IAM} payload: a flat JSON object with lowercase keys whose
   * {@code host} is the broker host the client connected to.
   */
  public Verdict validateLegacyPayload(byte[] payload, IamSettings settings) {
    JsonNode root;
    try {
      root = JSON.readTree(payload);
    } catch (JsonProcessingException e) {
      String msg = String.valueOf(e.getOriginalMessage());
      return msg.startsWith("Duplicate field")
          ? Verdict.reject(Reason.DUPLICATE_PARAMETER, "payload repeats a key")
          : Verdict.reject(Reason.MALFORMED_TOKEN, "payload is not JSON");
    } catch (IOException e) {
      return Verdict.reject(Reason.MALFORMED_TOKEN, "payload is not JSON");
    }
    if (root == null || !root.isObject()) {
      return Verdict.reject(Reason.MALFORMED_TOKEN, "payload is not a JSON object");
    }
    String version = null;
    String host = null;
    Map<String, String> params = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : root.properties()) {
      if (!e.getValue().isTextual()) {
        return Verdict.reject(Reason.MALFORMED_TOKEN, "value of " + e.getKey() + " is not text");
      }
      String key = e.getKey();
      String value = e.getValue().textValue();
      if (key.equals("version")) {
        version = value;
      } else if (key.equals("host")) {
        host = value;
      } else if (key.equals("user-agent")) {
        params.put(USER_AGENT, value);
      } else if (LEGACY_KEYS.containsKey(key)) {
        params.put(LEGACY_KEYS.get(key), value);
      } else {
        return Verdict.reject(Reason.MALFORMED_TOKEN, "payload has an unknown key " + key);
      }
    }
    if (!LEGACY_VERSION.equals(version)) {
      return Verdict.reject(
          Reason.MALFORMED_TOKEN, "payload version must be " + LEGACY_VERSION + ", was " + version);
    }
    if (host == null) {
      return Verdict.reject(Reason.MISSING_PARAMETER, "payload has no host");
    }
    Set<String> hosts = settings.brokerHosts();
    return verify(
        host.toLowerCase(Locale.ROOT),
        params,
        hosts::contains,
        "the broker host the client connected to, one of " + hosts,
        settings);
  }

  private Verdict verify(
      String host,
      Map<String, String> params,
      java.util.function.Predicate<String> hostOk,
      String hostRule,
      IamSettings settings) {
    for (String required :
        new String[] {
          ACTION,
          X_AMZ_ALGORITHM,
          X_AMZ_CREDENTIAL,
          X_AMZ_DATE,
          X_AMZ_EXPIRES,
          X_AMZ_SIGNED_HEADERS,
          X_AMZ_SIGNATURE
        }) {
      if (!params.containsKey(required)) {
        return Verdict.reject(Reason.MISSING_PARAMETER, "token has no " + required);
      }
    }
    if (!ALGORITHM.equals(params.get(X_AMZ_ALGORITHM))) {
      return Verdict.reject(
          Reason.UNSUPPORTED_ALGORITHM, "X-Amz-Algorithm must be " + ALGORITHM);
    }
    if (!"host".equals(params.get(X_AMZ_SIGNED_HEADERS))) {
      return Verdict.reject(
          Reason.UNSUPPORTED_ALGORITHM, "X-Amz-SignedHeaders must be 'host'");
    }
    String action = params.get(ACTION);
    if (!CONNECT_ACTION.equals(action)) {
      return Verdict.reject(
          Reason.WRONG_ACTION, "Action is '" + action + "', must be " + CONNECT_ACTION);
    }

    String[] scope = params.get(X_AMZ_CREDENTIAL).split("/", -1);
    if (scope.length != 5) {
      return Verdict.reject(
          Reason.INVALID_CREDENTIAL_SCOPE,
          "X-Amz-Credential must be <key>/<yyyyMMdd>/<region>/kafka-cluster/aws4_request");
    }
    String accessKeyId = scope[0];
    String scopeDate = scope[1];
    String scopeRegion = scope[2];
    if (!SERVICE.equals(scope[3]) || !"aws4_request".equals(scope[4])) {
      return Verdict.reject(
          Reason.INVALID_CREDENTIAL_SCOPE,
          "credential scope names service '" + scope[3] + "', must be " + SERVICE);
    }
    if (!settings.region().equals(scopeRegion)) {
      return Verdict.reject(
          Reason.WRONG_REGION,
          "token is signed for region '"
              + scopeRegion
              + "', the cluster is in "
              + settings.region());
    }
    if (!hostOk.test(host)) {
      return Verdict.reject(
          Reason.WRONG_HOST, "token is signed for host '" + host + "', must be " + hostRule);
    }

    String expiresText = params.get(X_AMZ_EXPIRES);
    if (!INTEGER.matcher(expiresText).matches()) {
      return Verdict.reject(
          Reason.INVALID_EXPIRES, "X-Amz-Expires '" + expiresText + "' is not an integer");
    }
    int expires = Integer.parseInt(expiresText);
    if (expires < 1 || expires > MAX_EXPIRES_SECONDS) {
      return Verdict.reject(
          Reason.INVALID_EXPIRES,
          "X-Amz-Expires " + expires + " is outside 1.." + MAX_EXPIRES_SECONDS);
    }
    Instant issuedAt;
    try {
      issuedAt = LocalDateTime.parse(params.get(X_AMZ_DATE), AMZ_DATE).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      return Verdict.reject(
          Reason.INVALID_DATE, "X-Amz-Date '" + params.get(X_AMZ_DATE) + "' is not yyyyMMddTHHmmssZ");
    }
    if (!SCOPE_DATE.format(issuedAt.atOffset(ZoneOffset.UTC)).equals(scopeDate)) {
      return Verdict.reject(
          Reason.INVALID_CREDENTIAL_SCOPE,
          "credential scope date " + scopeDate + " differs from X-Amz-Date");
    }

    Identity identity = settings.identityByAccessKey(accessKeyId).orElse(null);
    if (identity == null) {
      return Verdict.reject(
          Reason.UNKNOWN_ACCESS_KEY, "access key id " + accessKeyId + " is not known");
    }
    String presentedToken = params.get(X_AMZ_SECURITY_TOKEN);
    String expectedToken = identity.sessionToken().orElse(null);
    if (expectedToken == null && presentedToken != null) {
      return Verdict.reject(
          Reason.SESSION_TOKEN_MISMATCH,
          "token carries a session token, but " + accessKeyId + " is a long-term key");
    }
    if (expectedToken != null && !constantTimeEquals(expectedToken, presentedToken)) {
      return Verdict.reject(
          Reason.SESSION_TOKEN_MISMATCH,
          presentedToken == null
              ? "token has no X-Amz-Security-Token, " + accessKeyId + " needs one"
              : "X-Amz-Security-Token is not the session token of " + accessKeyId);
    }

    String expectedSignature = sign(host, params, identity, scopeRegion, issuedAt, expires);
    if (!constantTimeEquals(expectedSignature, params.get(X_AMZ_SIGNATURE))) {
      return Verdict.reject(
          Reason.SIGNATURE_MISMATCH,
          "signature does not match for access key id "
              + accessKeyId
              + " (wrong secret, or a signed parameter was changed)");
    }

    Instant now = settings.now(systemClock);
    if (issuedAt.isAfter(now.plus(settings.clockSkewAllowance()))) {
      return Verdict.reject(
          Reason.NOT_YET_VALID,
          "X-Amz-Date "
              + issuedAt
              + " is more than the allowed clock skew "
              + settings.clockSkewAllowance()
              + " ahead of the broker clock "
              + now);
    }
    Instant expiresAt = issuedAt.plusSeconds(expires);
    Duration cap = settings.maxTokenLifetime().orElse(null);
    if (cap != null && issuedAt.plus(cap).isBefore(expiresAt)) {
      expiresAt = issuedAt.plus(cap);
    }
    if (!now.isBefore(expiresAt)) {
      return Verdict.reject(
          Reason.EXPIRED, "token expired at " + expiresAt + ", broker clock is " + now);
    }
    return Verdict.accept(identity, issuedAt, expiresAt);
  }

  /**
   * The SigV4 signature of a presigned {@code GET https://<host>/?<params>} for these
   * credentials, at this date, with the AWS SDK's signer.
   */
  static String sign(
      String host,
      Map<String, String> params,
      Identity identity,
      String region,
      Instant date,
      int expiresSeconds) {
    SdkHttpRequest.Builder request =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.GET)
            .protocol("https")
            .host(host)
            .encodedPath("/");
    params.forEach(
        (name, value) -> {
          if (!SIGNER_PARAMETERS.contains(name) && !USER_AGENT.equals(name)) {
            request.appendRawQueryParameter(name, value);
          }
        });
    AwsCredentialsIdentity credentials =
        identity.sessionToken().isPresent()
            ? AwsSessionCredentialsIdentity.create(
                identity.accessKeyId(), identity.secretAccessKey(), identity.sessionToken().get())
            : AwsCredentialsIdentity.create(identity.accessKeyId(), identity.secretAccessKey());
    SdkHttpRequest signed =
        SIGNER
            .sign(
                r ->
                    r.identity(credentials)
                        .request(request.build())
                        .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, SERVICE)
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                        .putProperty(
                            AwsV4FamilyHttpSigner.AUTH_LOCATION,
                            AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                        .putProperty(
                            AwsV4FamilyHttpSigner.EXPIRATION_DURATION,
                            Duration.ofSeconds(expiresSeconds))
                        .putProperty(
                            AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(date, ZoneOffset.UTC)))
            .request();
    return signed
        .firstMatchingRawQueryParameter(X_AMZ_SIGNATURE)
        .orElseThrow(() -> new IllegalStateException("the SDK signer produced no signature"));
  }

  private static boolean constantTimeEquals(String expected, String actual) {
    if (actual == null) {
      return false;
    }
    return MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.UTF_8), actual.getBytes(StandardCharsets.UTF_8));
  }

  private static String strictUtf8(byte[] bytes) throws CharacterCodingException {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(bytes))
        .toString();
  }

  /** RFC 3986 percent-decoding; '+' stays '+'. Throws on a malformed escape. */
  static String percentDecode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          throw new IllegalArgumentException("truncated escape");
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw new IllegalArgumentException("bad escape");
        }
        out.write((hi << 4) | lo);
        i += 2;
      } else {
        int next = s.indexOf('%', i);
        int end = next < 0 ? s.length() : next;
        byte[] b = s.substring(i, end).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
        i = end - 1;
      }
    }
    try {
      return strictUtf8(out.toByteArray());
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("escape is not UTF-8", e);
    }
  }

  private static Map<String, String> legacyKeys() {
    Map<String, String> m = new LinkedHashMap<>();
    for (String canonical :
        new String[] {
          ACTION,
          X_AMZ_ALGORITHM,
          X_AMZ_CREDENTIAL,
          X_AMZ_DATE,
          X_AMZ_EXPIRES,
          X_AMZ_SIGNED_HEADERS,
          X_AMZ_SIGNATURE,
          X_AMZ_SECURITY_TOKEN
        }) {
      m.put(canonical.toLowerCase(Locale.ROOT), canonical);
    }
    return m;
  }
}
