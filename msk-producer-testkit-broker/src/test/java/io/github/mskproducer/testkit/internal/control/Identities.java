package io.github.mskproducer.testkit.internal.control;

import java.security.SecureRandom;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/** Test identities for the broker side's tests (the testkit's TestIdentity lives client-side). */
public final class Identities {
  private static final String KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  private static final String SECRET_ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  private static final SecureRandom RANDOM = new SecureRandom();

  private Identities() {}

  public static Identity of(String name, String accessKeyId, String secret) {
    return new Identity(name, accessKeyId, secret, null);
  }

  public static Identity random(String name) {
    return new Identity(name, "AKIA" + random(KEY_ALPHABET, 16), random(SECRET_ALPHABET, 40), null);
  }

  public static Identity randomWithSessionToken(String name) {
    return new Identity(
        name,
        "ASIA" + random(KEY_ALPHABET, 16),
        random(SECRET_ALPHABET, 40),
        "IQoJb3JpZ2luX2VjE" + random(SECRET_ALPHABET, 120) + "==");
  }

  public static Identity withSessionToken(Identity id, String token) {
    return new Identity(id.name(), id.accessKeyId(), id.secretAccessKey(), token);
  }

  public static Identity rotated(Identity id) {
    return id.sessionToken().isPresent() ? randomWithSessionToken(id.name()) : random(id.name());
  }

  public static AwsCredentials toAwsCredentials(Identity id) {
    return id.sessionToken().isPresent()
        ? AwsSessionCredentials.create(id.accessKeyId(), id.secretAccessKey(), id.sessionToken().get())
        : AwsBasicCredentials.create(id.accessKeyId(), id.secretAccessKey());
  }

  private static String random(String alphabet, int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return sb.toString();
  }
}
