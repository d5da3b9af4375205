package io.github.mskproducer.core.internal.auth;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Objects;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * Signs MSK IAM tokens: a SigV4 presigned {@code GET https://kafka.<region>.amazonaws.com/?
 * Action=kafka-cluster:Connect}, valid for 900 s or until the credentials expire if sooner, with
 * {@code User-Agent} appended after signing, base64url-encoded without padding. Uses the AWS
 * SDK's own SigV4 signer. Thread-safe.
 */
public final class IamTokenGenerator {
  public static final int MAX_EXPIRES_SECONDS = 900;
  private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

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
            "the AWS credentials (access key id "
                + credentials.accessKeyId()
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

  /** The presigned URL, User-Agent appended: the token before base64url. */
  String presignedUrl(
      String host, String region, AwsCredentialsIdentity credentials, Instant date, long expires) {
    SdkHttpRequest request =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.GET)
            .protocol("https")
            .host(host)
            .encodedPath("")
            .appendRawQueryParameter("Action", "kafka-cluster:Connect")
            .build();
    SdkHttpRequest signed =
        SIGNER
            .sign(
                r ->
                    r.identity(credentials)
                        .request(request)
                        .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "kafka-cluster")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                        .putProperty(
                            AwsV4FamilyHttpSigner.AUTH_LOCATION,
                            AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                        .putProperty(
                            AwsV4FamilyHttpSigner.EXPIRATION_DURATION, Duration.ofSeconds(expires))
                        .putProperty(
                            AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(date, ZoneOffset.UTC)))
            .request();
    return signed.getUri() + "&User-Agent=" + SdkHttpUtils.urlEncode(userAgent);
  }
}
