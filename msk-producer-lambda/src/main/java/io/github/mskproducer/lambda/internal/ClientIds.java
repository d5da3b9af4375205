package io.github.mskproducer.lambda.internal;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.Map;

/**
 * Client ids per execution environment: the function's name and a random suffix, so that the
 * brokers' logs and quotas tell environments apart, and a new suffix after a SnapStart restore
 * (every environment restored from one snapshot would otherwise share one).
 */
public final class ClientIds {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

  private final String base;
  private volatile String suffix = newSuffix();

  /**
   * @param env the function's environment ({@code AWS_LAMBDA_FUNCTION_NAME})
   */
  public ClientIds(Map<String, String> env) {
    String function = env.get("AWS_LAMBDA_FUNCTION_NAME");
    String b =
        function == null || function.isBlank()
            ? "msk-producer-lambda"
            : function.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-");
    this.base = b.length() > 200 ? b.substring(0, 200) : b;
  }

  /**
   * The client id of the next producer.
   *
   * @return base and suffix
   */
  public String next() {
    return base + "-" + suffix;
  }

  /** Draws a new suffix, after a restore. */
  public void renew() {
    suffix = newSuffix();
  }

  private static String newSuffix() {
    StringBuilder sb = new StringBuilder(6);
    for (int i = 0; i < 6; i++) {
      sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return sb.toString();
  }
}
