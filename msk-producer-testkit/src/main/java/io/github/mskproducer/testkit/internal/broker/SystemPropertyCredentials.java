package io.github.mskproducer.testkit.internal.broker;

import io.github.mskproducer.testkit.TestIdentity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The system properties through which the AWS SDK's default credentials and region chains see
 * an identity: {@code aws.accessKeyId}, {@code aws.secretAccessKey}, {@code aws.sessionToken},
 * {@code aws.region}. Take a {@link #snapshot()} first and {@link #restore} it afterwards.
 */
public final class SystemPropertyCredentials {
  private static final List<String> KEYS =
      List.of("aws.accessKeyId", "aws.secretAccessKey", "aws.sessionToken", "aws.region");

  private SystemPropertyCredentials() {}

  /** The current values (null where unset). */
  public static Map<String, String> snapshot() {
    Map<String, String> values = new LinkedHashMap<>();
    KEYS.forEach(k -> values.put(k, System.getProperty(k)));
    return values;
  }

  public static void apply(TestIdentity identity, String region) {
    System.setProperty("aws.accessKeyId", identity.accessKeyId());
    System.setProperty("aws.secretAccessKey", identity.secretAccessKey());
    if (identity.sessionToken().isPresent()) {
      System.setProperty("aws.sessionToken", identity.sessionToken().get());
    } else {
      System.clearProperty("aws.sessionToken");
    }
    System.setProperty("aws.region", region);
  }

  public static void restore(Map<String, String> snapshot) {
    snapshot.forEach(
        (k, v) -> {
          if (v == null) {
            System.clearProperty(k);
          } else {
            System.setProperty(k, v);
          }
        });
  }
}
