package io.github.mskproducer.core.internal.config;

import io.github.mskproducer.core.Acks;
import io.github.mskproducer.core.Compression;
import io.github.mskproducer.core.MskAuth;
import io.github.mskproducer.core.MskConfigurationException;
import io.github.mskproducer.core.Timeouts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/** Reads the documented environment variables into a builder; bad values name the variable. */
public final class EnvironmentConfig {
  /** The builder options the environment can set. */
  public interface Target {
    void bootstrapServers(String v);

    void region(String v);

    void auth(MskAuth v);

    void truststore(Path file, String password);

    void clientId(String v);

    void acks(Acks v);

    void compression(Compression v);

    void linger(Duration v);

    void batchSize(int v);

    void timeouts(Consumer<Timeouts.Builder> v);
  }

  /** Every variable {@link #apply} reads; reading one not listed here is a bug. */
  public static final List<String> VARIABLES =
      List.of(
          "MSK_BOOTSTRAP_SERVERS",
          "AWS_REGION",
          "AWS_DEFAULT_REGION",
          "MSK_AUTH",
          "MSK_AWS_PROFILE",
          "MSK_ROLE_ARN",
          "MSK_ROLE_SESSION_NAME",
          "AWS_ACCESS_KEY_ID",
          "AWS_SECRET_ACCESS_KEY",
          "AWS_SESSION_TOKEN",
          "MSK_SCRAM_USERNAME",
          "MSK_SCRAM_PASSWORD",
          "MSK_TRUSTSTORE",
          "MSK_TRUSTSTORE_PASSWORD",
          "MSK_CLIENT_ID",
          "MSK_ACKS",
          "MSK_COMPRESSION",
          "MSK_LINGER_MS",
          "MSK_BATCH_SIZE",
          "MSK_REQUEST_TIMEOUT_MS",
          "MSK_DELIVERY_TIMEOUT_MS",
          "MSK_MAX_BLOCK_MS");

  private EnvironmentConfig() {}

  /**
   * Applies the variables.
   *
   * @param credentialsFromMap whether {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}
   *     and {@code AWS_SESSION_TOKEN} in {@code env} sign IAM tokens: true for a map given by the
   *     caller; false for the process environment, whose keys the SDK's default chain reads with
   *     its own precedence (system properties first) and refresh
   */
  public static void apply(Map<String, String> env, Target target, boolean credentialsFromMap) {
    String bootstrap = get(env, "MSK_BOOTSTRAP_SERVERS");
    if (bootstrap != null) {
      rethrowAs("MSK_BOOTSTRAP_SERVERS", () -> target.bootstrapServers(bootstrap));
    }
    String region = get(env, "AWS_REGION");
    String regionVar = "AWS_REGION";
    if (region == null) {
      region = get(env, "AWS_DEFAULT_REGION");
      regionVar = "AWS_DEFAULT_REGION";
    }
    if (region != null) {
      String r = region;
      rethrowAs(regionVar, () -> target.region(r));
    }
    MskAuth auth = auth(env, credentialsFromMap);
    if (auth != null) {
      target.auth(auth);
    }
    String truststore = get(env, "MSK_TRUSTSTORE");
    if (truststore != null) {
      rethrowAs(
          "MSK_TRUSTSTORE",
          () -> target.truststore(Path.of(truststore), get(env, "MSK_TRUSTSTORE_PASSWORD")));
    }
    String clientId = get(env, "MSK_CLIENT_ID");
    if (clientId != null) {
      rethrowAs("MSK_CLIENT_ID", () -> target.clientId(clientId));
    }
    String acks = get(env, "MSK_ACKS");
    if (acks != null) {
      target.acks(acks(acks));
    }
    String compression = get(env, "MSK_COMPRESSION");
    if (compression != null) {
      try {
        target.compression(Compression.valueOf(compression.trim().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new MskConfigurationException(
            "MSK_COMPRESSION",
            "MSK_COMPRESSION '" + compression + "' must be none, gzip, snappy, lz4 or zstd",
            e);
      }
    }
    Long linger = millis(env, "MSK_LINGER_MS");
    if (linger != null) {
      rethrowAs("MSK_LINGER_MS", () -> target.linger(Duration.ofMillis(linger)));
    }
    Long batch = millis(env, "MSK_BATCH_SIZE");
    if (batch != null) {
      rethrowAs("MSK_BATCH_SIZE", () -> target.batchSize((int) Math.min(batch, Integer.MAX_VALUE)));
    }
    Long request = millis(env, "MSK_REQUEST_TIMEOUT_MS");
    Long delivery = millis(env, "MSK_DELIVERY_TIMEOUT_MS");
    Long maxBlock = millis(env, "MSK_MAX_BLOCK_MS");
    if (request != null) {
      rethrowAs("MSK_REQUEST_TIMEOUT_MS", () -> target.timeouts(t -> t.request(Duration.ofMillis(request))));
    }
    if (delivery != null) {
      rethrowAs("MSK_DELIVERY_TIMEOUT_MS", () -> target.timeouts(t -> t.delivery(Duration.ofMillis(delivery))));
    }
    if (maxBlock != null) {
      rethrowAs("MSK_MAX_BLOCK_MS", () -> target.timeouts(t -> t.maxBlock(Duration.ofMillis(maxBlock))));
    }
  }

  private static MskAuth auth(Map<String, String> env, boolean credentialsFromMap) {
    String kind = get(env, "MSK_AUTH");
    String profile = get(env, "MSK_AWS_PROFILE");
    String roleArn = get(env, "MSK_ROLE_ARN");
    String session = get(env, "MSK_ROLE_SESSION_NAME");
    if (roleArn != null && session == null) {
      throw new MskConfigurationException(
          "MSK_ROLE_SESSION_NAME",
          "MSK_ROLE_ARN is set but MSK_ROLE_SESSION_NAME is not: give a fixed session name"
              + " (MSK refuses re-authentication with a changed principal)");
    }
    if (profile != null && roleArn != null) {
      throw new MskConfigurationException(
          "MSK_AWS_PROFILE",
          "set MSK_AWS_PROFILE or MSK_ROLE_ARN, not both: they choose two credential sources");
    }
    String k = kind == null ? null : kind.trim().toLowerCase(Locale.ROOT);
    // Keys in a given map, as the SDK's default chain would take them from the process's
    // environment; only for IAM with no profile or role chosen.
    boolean iamDefault = (k == null || k.equals("iam")) && profile == null && roleArn == null;
    String accessKeyId = credentialsFromMap && iamDefault ? get(env, "AWS_ACCESS_KEY_ID") : null;
    String secret = credentialsFromMap && iamDefault ? get(env, "AWS_SECRET_ACCESS_KEY") : null;
    boolean keys = accessKeyId != null && secret != null;
    if ((accessKeyId == null) != (secret == null)) {
      String missing = accessKeyId == null ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY";
      throw new MskConfigurationException(
          missing,
          (accessKeyId == null ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID")
              + " is set but "
              + missing
              + " is not: set both, or neither to use the default credentials chain");
    }
    if (k == null && profile == null && roleArn == null && !keys) {
      return null;
    }
    if (k == null || k.equals("iam") || k.equals("iam-legacy")) {
      boolean legacy = "iam-legacy".equals(k);
      if (profile == null && roleArn == null) {
        if (legacy) {
          return MskAuth.iamLegacy(c -> c.defaultChain()); // aws-msk-iam-auth's chain reads them
        }
        if (keys) {
          String token = get(env, "AWS_SESSION_TOKEN");
          return MskAuth.iam(c -> c.staticCredentials(accessKeyId, secret, token));
        }
        return MskAuth.iam();
      }
      return legacy
          ? MskAuth.iamLegacy(c -> credentials(c, profile, roleArn, session))
          : MskAuth.iam(c -> credentials(c, profile, roleArn, session));
    }
    if (profile != null || roleArn != null) {
      throw new MskConfigurationException(
          "MSK_AUTH",
          "MSK_AWS_PROFILE and MSK_ROLE_ARN apply to IAM only, but MSK_AUTH is " + kind);
    }
    switch (k) {
      case "tls":
        return MskAuth.tls();
      case "plaintext":
        return MskAuth.plaintext();
      case "scram":
        String user = get(env, "MSK_SCRAM_USERNAME");
        String password = get(env, "MSK_SCRAM_PASSWORD");
        if (user == null || password == null) {
          throw new MskConfigurationException(
              "MSK_SCRAM_USERNAME",
              "MSK_AUTH=scram needs MSK_SCRAM_USERNAME and MSK_SCRAM_PASSWORD");
        }
        return MskAuth.scram(user, password);
      default:
        throw new MskConfigurationException(
            "MSK_AUTH",
            "MSK_AUTH '" + kind + "' must be iam, iam-legacy, tls, scram or plaintext");
    }
  }

  private static void credentials(
      MskAuth.IamCredentials.Builder c, String profile, String roleArn, String session) {
    if (profile != null) {
      rethrowAs("MSK_AWS_PROFILE", () -> c.profile(profile));
    } else {
      rethrowAs("MSK_ROLE_ARN", () -> c.assumeRole(roleArn, session));
    }
  }

  private static Acks acks(String value) {
    switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "all":
      case "-1":
        return Acks.ALL;
      case "1":
      case "leader":
        return Acks.LEADER;
      case "0":
      case "none":
        return Acks.NONE;
      default:
        throw new MskConfigurationException(
            "MSK_ACKS", "MSK_ACKS '" + value + "' must be all, 1 or 0");
    }
  }

  private static Long millis(Map<String, String> env, String name) {
    String v = get(env, name);
    if (v == null) {
      return null;
    }
    try {
      long n = Long.parseLong(v.trim());
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new MskConfigurationException(
          name, name + " '" + v + "' must be a whole number (zero or more)", e);
    }
  }

  private static String get(Map<String, String> env, String name) {
    if (!VARIABLES.contains(name)) {
      throw new IllegalStateException(name + " is read but not listed in VARIABLES");
    }
    String v = env.get(name);
    return v == null || v.isBlank() ? null : v;
  }

  /** Runs a builder call; a configuration error is reported as the variable's. */
  private static void rethrowAs(String variable, Runnable call) {
    try {
      call.run();
    } catch (MskConfigurationException e) {
      throw new MskConfigurationException(
          variable, "environment variable " + variable + ": " + e.getMessage(), e);
    }
  }
}
