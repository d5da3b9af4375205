package io.github.mskproducer.core.internal.auth;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Objects;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.StringJoiner;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * Signs MSK IAM tokens: a SigV4 presigned {@code GET https://kafka.<region>.amazonaws.com/?
 * Action=kafka-cluster:Connect}, valid for 900 s or until the credentials expire if sooner, with
 * {@code User-Agent} appended after signing, base64url-encoded without padding. Credentials come
 * from the AWS SDK; the signature is computed here (see {@link #presignedUrl}). Thread-safe.
 */
public final class IamTokenGenerator {
  public static final int MAX_EXPIRES_SECONDS = 900;
  private static final String SERVICE = "kafka-cluster";
  private static final String ALGORITHM = "AWS4-HMAC-SHA256";
  private static final String EMPTY_PAYLOAD_SHA256 =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  private final Clock clock;
  private final String userAgent;

  public IamTokenGenerator(Clock clock, String userAgent) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.userAgent = Objects.requireNonNull(userAgent, "userAgent");
  }

  /** A signed token, what it is valid for, and when. */
  public static final class Token {
    private final String value;
    private final Instant issuedAt;
    private final Instant expiresAt;

    Token(String value, Instant issuedAt, Instant expiresAt) {
      this.value = value;
      this.issuedAt = issuedAt;
      this.expiresAt = expiresAt;
    }

    /** The token; a bearer credential: never log it. */
    public String value() {
      return value;
    }

    public Instant issuedAt() {
      return issuedAt;
    }

    public Instant expiresAt() {
      return expiresAt;
    }

    @Override
    public String toString() {
      return "Token{issuedAt=" + issuedAt + ", expiresAt=" + expiresAt + "}";
    }
  }

  /** The clock tokens are signed with. */
  Clock clock() {
    return clock;
  }

  /**
   * Signs a token for {@code region} with these credentials, now.
   *
   * @throws CredentialsException if the credentials have expired
   */
  public Token generate(AwsCredentialsIdentity credentials, String region)
      throws CredentialsException {
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    long expires = MAX_EXPIRES_SECONDS;
    if (credentials.expirationTime().isPresent()) {
      long left = Duration.between(now, credentials.expirationTime().get()).getSeconds();
      if (left < 1) {
        throw new CredentialsException(
            CredentialsException.Kind.EXPIRED,
            "the AWS credentials (access key "
                + AccessKeys.shown(credentials.accessKeyId())
                + ") expired at "
                + credentials.expirationTime().get()
                + ": refresh them (a provider that refreshes, such as the default chain or"
                + " assume-role, does this itself)",
            null);
      }
      expires = Math.min(expires, left);
    }
    String url = presignedUrl("kafka." + region + ".amazonaws.com", region, credentials, now, expires);
    String value =
        Base64.getUrlEncoder().withoutPadding().encodeToString(url.getBytes(StandardCharsets.UTF_8));
    return new Token(value, now, now.plusSeconds(expires));
  }

  /**
   * The presigned URL, User-Agent appended: the token before base64url. SigV4 computed here
   * rather than with the AWS SDK's signer, because that signer logs the canonical request,
   * session token included, at DEBUG; this code logs nothing.
   */
  String presignedUrl(
      String host, String region, AwsCredentialsIdentity credentials, Instant date, long expires) {
    String amzDate = amzDate(date);
    String day = amzDate.substring(0, 8);
    String scope = day + "/" + region + "/" + SERVICE + "/aws4_request";
    TreeMap<String, String> query = new TreeMap<>();
    query.put("Action", "kafka-cluster:Connect");
    query.put("X-Amz-Algorithm", ALGORITHM);
    query.put("X-Amz-Credential", credentials.accessKeyId() + "/" + scope);
    query.put("X-Amz-Date", amzDate);
    query.put("X-Amz-Expires", Long.toString(expires));
    if (credentials instanceof AwsSessionCredentialsIdentity) {
      query.put("X-Amz-Security-Token", ((AwsSessionCredentialsIdentity) credentials).sessionToken());
    }
    query.put("X-Amz-SignedHeaders", "host");
    StringJoiner canonicalQuery = new StringJoiner("&");
    for (java.util.Map.Entry<String, String> e : query.entrySet()) {
      canonicalQuery.add(urlEncode(e.getKey()) + "=" + urlEncode(e.getValue()));
    }
    String canonicalRequest =
        "GET\n/\n" + canonicalQuery + "\nhost:" + host + "\n\nhost\n" + EMPTY_PAYLOAD_SHA256;
    String stringToSign =
        ALGORITHM + "\n" + amzDate + "\n" + scope + "\n" + hex(sha256(canonicalRequest));
    byte[] key = hmac(("AWS4" + credentials.secretAccessKey()).getBytes(StandardCharsets.UTF_8), day);
    key = hmac(key, region);
    key = hmac(key, SERVICE);
    key = hmac(key, "aws4_request");
    String signature = hex(hmac(key, stringToSign));
    return "https://"
        + host
        + "?"
        + canonicalQuery
        + "&X-Amz-Signature="
        + signature
        + "&User-Agent="
        + urlEncode(userAgent);
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }

  private static byte[] sha256(String data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }

  private static String hex(byte[] bytes) {
    StringBuilder sb = new StringBuilder(bytes.length * 2);
    for (byte b : bytes) {
      sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
    }
    return sb.toString();
  }

  /**
   * SigV4's date, {@code yyyyMMdd'T'HHmmss'Z'} in UTC, written by hand: a {@code
   * DateTimeFormatter} pattern costs a first token in a fresh JVM some milliseconds of class
   * loading and parsing.
   */
  static String amzDate(Instant instant) {
    java.time.LocalDateTime t = java.time.LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
    StringBuilder b = new StringBuilder(16);
    pad(b, t.getYear(), 4);
    pad(b, t.getMonthValue(), 2);
    pad(b, t.getDayOfMonth(), 2);
    b.append('T');
    pad(b, t.getHour(), 2);
    pad(b, t.getMinute(), 2);
    pad(b, t.getSecond(), 2);
    return b.append('Z').toString();
  }

  private static void pad(StringBuilder b, int value, int width) {
    String s = Integer.toString(value);
    for (int i = s.length(); i < width; i++) {
      b.append('0');
    }
    b.append(s);
  }

  private static final char[] HEX_UPPER = "0123456789ABCDEF".toCharArray();

  /**
   * RFC 3986 percent-encoding as SigV4 wants it: every byte of the UTF-8 form except the
   * unreserved characters ({@code A-Z a-z 0-9 - _ . ~}) as {@code %XX}, upper case.
   */
  static String urlEncode(String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    StringBuilder b = new StringBuilder(bytes.length + 16);
    for (byte x : bytes) {
      int c = x & 0xff;
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~') {
        b.append((char) c);
      } else {
        b.append('%').append(HEX_UPPER[c >> 4]).append(HEX_UPPER[c & 0xf]);
      }
    }
    return b.toString();
  }
}
