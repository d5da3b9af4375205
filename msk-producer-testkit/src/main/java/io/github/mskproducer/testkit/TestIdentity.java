package io.github.mskproducer.testkit;

import io.github.mskproducer.testkit.internal.control.Identity;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * An IAM identity the local broker knows: a name (which becomes the Kafka principal {@code
 * User:<name>}), an access key id, its secret, and optionally a session token (as STS
 * credentials have).
 *
 * <p>These are throwaway credentials for the local broker only; they mean nothing to AWS.
 * {@link #toString()} never shows the secret or the session token.
 */
public final class TestIdentity {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.@+=,-]{1,64}");
  private static final Pattern ACCESS_KEY_ID = Pattern.compile("[A-Za-z0-9_]{1,128}");
  private static final String KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  private static final String SECRET_ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The values, in the form the broker side reads them. */
  private final Identity id;

  private TestIdentity(
      String name, String accessKeyId, String secretAccessKey, String sessionToken) {
    this.id = new Identity(name, accessKeyId, secretAccessKey, sessionToken);
  }

  /**
   * An identity with long-term credentials (no session token).
   *
   * @param name the identity's name: 1 to 64 of {@code A-Z a-z 0-9 _ . @ + = , -}; the Kafka
   *     principal is {@code User:<name>}
   * @param accessKeyId 1 to 128 of {@code A-Z a-z 0-9 _} (real ones are 20 of {@code A-Z 0-9})
   * @param secretAccessKey the secret, not empty
   * @return the identity
   * @throws IllegalArgumentException if an argument is out of its range
   */
  public static TestIdentity of(String name, String accessKeyId, String secretAccessKey) {
    return new TestIdentity(
        checkName(name), checkAccessKeyId(accessKeyId), checkSecret(secretAccessKey), null);
  }

  /**
   * An identity with fresh random credentials: an access key id {@code AKIA...} and a 40
   * character secret.
   *
   * @param name the identity's name (see {@link #of(String, String, String)})
   * @return the identity
   */
  public static TestIdentity random(String name) {
    return new TestIdentity(
        checkName(name), "AKIA" + randomString(KEY_ALPHABET, 16), randomSecret(), null);
  }

  /**
   * An identity with fresh random temporary credentials, as STS issues them: an access key id
   * {@code ASIA...}, a secret and a session token.
   *
   * @param name the identity's name (see {@link #of(String, String, String)})
   * @return the identity
   */
  public static TestIdentity randomWithSessionToken(String name) {
    return new TestIdentity(
        checkName(name),
        "ASIA" + randomString(KEY_ALPHABET, 16),
        randomSecret(),
        "IQoJb3JpZ2luX2VjE" + randomString(SECRET_ALPHABET, 120) + "==");
  }

  /**
   * This identity with a session token (temporary credentials).
   *
   * @param token the session token, not empty
   * @return a new identity with the same name and keys and this session token
   */
  public TestIdentity withSessionToken(String token) {
    Objects.requireNonNull(token, "token");
    if (token.isEmpty()) {
      throw new IllegalArgumentException(
          "sessionToken must not be empty; use an identity without a session token instead");
    }
    return new TestIdentity(id.name(), id.accessKeyId(), id.secretAccessKey(), token);
  }

  /**
   * New credentials for the same name, of the same kind (with a session token if this one has
   * one): what rotating an access key, or refreshing a role session, gives.
   *
   * @return the rotated identity
   */
  public TestIdentity rotated() {
    return id.sessionToken().isEmpty() ? random(id.name()) : randomWithSessionToken(id.name());
  }

  /**
   * The identity's name; the Kafka principal is {@code User:<name>}.
   *
   * @return the name
   */
  public String name() {
    return id.name();
  }

  /**
   * The principal Kafka sees for this identity, for ACLs.
   *
   * @return {@code User:<name>}
   */
  public String principal() {
    return id.principal();
  }

  /**
   * The access key id.
   *
   * @return the access key id
   */
  public String accessKeyId() {
    return id.accessKeyId();
  }

  /**
   * The secret access key. Do not log it.
   *
   * @return the secret
   */
  public String secretAccessKey() {
    return id.secretAccessKey();
  }

  /**
   * The session token, for temporary credentials.
   *
   * @return the session token, or empty for long-term credentials
   */
  public Optional<String> sessionToken() {
    return id.sessionToken();
  }

  /**
   * These credentials as the AWS SDK's type.
   *
   * @return {@link AwsSessionCredentials} with a session token, else {@link AwsBasicCredentials}
   */
  public AwsCredentials toAwsCredentials() {
    return id.sessionToken().isEmpty()
        ? AwsBasicCredentials.create(id.accessKeyId(), id.secretAccessKey())
        : AwsSessionCredentials.create(id.accessKeyId(), id.secretAccessKey(), id.sessionToken().get());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TestIdentity && id.equals(((TestIdentity) o).id);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  @Override
  public String toString() {
    return "TestIdentity{name="
        + id.name()
        + ", accessKeyId="
        + id.accessKeyId()
        + ", secretAccessKey=***, sessionToken="
        + (id.sessionToken().isEmpty() ? "none" : "***")
        + "}";
  }

  /** The broker's view of this identity (the control file's form). */
  Identity toControl() {
    return id;
  }

  static TestIdentity fromControl(Identity id) {
    return new TestIdentity(
        id.name(), id.accessKeyId(), id.secretAccessKey(), id.sessionToken().orElse(null));
  }

  static String checkName(String name) {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "identity name '"
              + name
              + "' is invalid: use 1 to 64 of A-Z a-z 0-9 _ . @ + = , - (it becomes the Kafka"
              + " principal User:<name>)");
    }
    return name;
  }

  private static String checkAccessKeyId(String accessKeyId) {
    Objects.requireNonNull(accessKeyId, "accessKeyId");
    if (!ACCESS_KEY_ID.matcher(accessKeyId).matches()) {
      throw new IllegalArgumentException(
          "accessKeyId '"
              + accessKeyId
              + "' is invalid: use 1 to 128 of A-Z a-z 0-9 _ (e.g. AKIAIOSFODNN7EXAMPLE)");
    }
    return accessKeyId;
  }

  private static String checkSecret(String secret) {
    Objects.requireNonNull(secret, "secretAccessKey");
    if (secret.isEmpty()) {
      throw new IllegalArgumentException("secretAccessKey must not be empty");
    }
    return secret;
  }

  private static String randomSecret() {
    return randomString(SECRET_ALPHABET, 40);
  }

  private static String randomString(String alphabet, int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return sb.toString();
  }
}
