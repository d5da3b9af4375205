package io.github.mskproducer.spring.internal;

import io.github.mskproducer.core.MskAuth;
import io.github.mskproducer.core.MskConfigurationException;
import io.github.mskproducer.core.MskProducerConfig;
import io.github.mskproducer.spring.MskProducerProperties;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@code msk.producer.*} into the SDK's immutable {@link MskProducerConfig}: each property
 * through the SDK's own setter, so that a bad value gets the SDK's message, with the property's
 * name in front and as the exception's option.
 */
public final class ConfigMapping {
  private static final String P = MskProducerProperties.PREFIX + ".";

  private ConfigMapping() {}

  /**
   * The configuration the properties describe.
   *
   * @param p the bound properties
   * @return the configuration
   * @throws MskConfigurationException naming the property
   */
  public static MskProducerConfig toConfig(MskProducerProperties p) {
    MskProducerConfig.Builder c = MskProducerConfig.builder();
    set("bootstrap-servers", p.getBootstrapServers(), c::bootstrapServers);
    set("region", p.getRegion(), c::region);
    set("client-id", p.getClientId(), c::clientId);
    set("acks", p.getAcks(), c::acks);
    set("idempotence", p.getIdempotence(), c::idempotence);
    set("compression", p.getCompression(), c::compression);
    set("linger", p.getLinger(), c::linger);
    set("batch-size", p.getBatchSize(), c::batchSize);
    set("flush-policy", p.getFlushPolicy(), c::flushPolicy);
    if (authGiven(p.getAuth())) {
      c.auth(auth(p.getAuth()));
    }

    MskProducerProperties.Truststore t = p.getTruststore();
    set("truststore.pem", t.getPem(), c::truststore);
    if (t.getPkcs12() != null) {
      if (t.getPassword() == null) {
        throw error("truststore.password", "a PKCS12 truststore needs its password");
      }
      wrap("truststore.pkcs12", () -> c.truststore(t.getPkcs12(), t.getPassword()));
    }

    MskProducerProperties.Timeouts to = p.getTimeouts();
    wrap(
        "timeouts",
        () ->
            c.timeouts(
                b -> {
                  set("timeouts.request", to.getRequest(), b::request);
                  set("timeouts.delivery", to.getDelivery(), b::delivery);
                  set("timeouts.max-block", to.getMaxBlock(), b::maxBlock);
                  set("timeouts.connection-setup", to.getConnectionSetup(), b::connectionSetup);
                  set("timeouts.connection-setup-max", to.getConnectionSetupMax(), b::connectionSetupMax);
                }));

    MskProducerProperties.Retry r = p.getRetry();
    if (r.getMaxAttempts() != null
        || r.getInitialBackoff() != null
        || r.getMaxBackoff() != null
        || r.getMaxElapsed() != null) {
      wrap(
          "retry",
          () ->
              c.retry(
                  b -> {
                    set("retry.max-attempts", r.getMaxAttempts(), b::maxAttempts);
                    set("retry.initial-backoff", r.getInitialBackoff(), b::initialBackoff);
                    set("retry.max-backoff", r.getMaxBackoff(), b::maxBackoff);
                    set("retry.max-elapsed", r.getMaxElapsed(), b::maxElapsed);
                  }));
    }

    MskProducerProperties.ReconnectBackoff rb = p.getReconnectBackoff();
    if (rb.getInitial() != null || rb.getMax() != null) {
      if (rb.getInitial() == null || rb.getMax() == null) {
        throw error(
            rb.getInitial() == null ? "reconnect-backoff.initial" : "reconnect-backoff.max",
            "set both reconnect-backoff.initial and reconnect-backoff.max, or neither (defaults"
                + " 1s and 10s)");
      }
      wrap("reconnect-backoff", () -> c.reconnectBackoff(rb.getInitial(), rb.getMax()));
    }

    for (Map.Entry<String, String> e : p.getProperties().entrySet()) {
      wrap("properties[" + e.getKey() + "]", () -> c.property(e.getKey(), e.getValue()));
    }
    return wrapped("build", c::build);
  }

  /** Whether any auth property was set: else the SDK's default (IAM, default chain) stays unset. */
  private static boolean authGiven(MskProducerProperties.Auth a) {
    return (a.getMechanism() != null && a.getMechanism() != MskProducerProperties.Auth.Mechanism.IAM)
        || a.getProfile() != null
        || a.getRoleArn() != null
        || a.getRoleSessionName() != null
        || a.getAccessKeyId() != null
        || a.getSecretAccessKey() != null
        || a.getSessionToken() != null
        || a.getUsername() != null
        || a.getPassword() != null;
  }

  private static MskAuth auth(MskProducerProperties.Auth a) {
    MskProducerProperties.Auth.Mechanism m =
        a.getMechanism() == null ? MskProducerProperties.Auth.Mechanism.IAM : a.getMechanism();
    if (m != MskProducerProperties.Auth.Mechanism.SCRAM && (a.getUsername() != null || a.getPassword() != null)) {
      throw error(
          a.getUsername() != null ? "auth.username" : "auth.password",
          "auth.username and auth.password are for auth.mechanism SCRAM, not " + m);
    }
    boolean iam =
        m == MskProducerProperties.Auth.Mechanism.IAM || m == MskProducerProperties.Auth.Mechanism.IAM_LEGACY;
    if (!iam
        && (a.getProfile() != null
            || a.getRoleArn() != null
            || a.getAccessKeyId() != null
            || a.getSecretAccessKey() != null)) {
      throw error(
          "auth.mechanism",
          "AWS credentials (auth.profile, auth.role-arn, auth.access-key-id) are for IAM, not " + m);
    }
    switch (a.getMechanism() == null ? MskProducerProperties.Auth.Mechanism.IAM : a.getMechanism()) {
      case TLS:
        return MskAuth.tls();
      case PLAINTEXT:
        return MskAuth.plaintext();
      case SCRAM:
        if (a.getUsername() == null || a.getPassword() == null) {
          throw error(
              a.getUsername() == null ? "auth.username" : "auth.password",
              "auth.mechanism SCRAM needs auth.username and auth.password");
        }
        return wrapped("auth.username", () -> MskAuth.scram(a.getUsername(), a.getPassword()));
      case IAM_LEGACY:
        return wrapped("auth", () -> MskAuth.iamLegacy(b -> credentials(a, b)));
      default:
        return wrapped("auth", () -> MskAuth.iam(b -> credentials(a, b)));
    }
  }

  private static void credentials(MskProducerProperties.Auth a, MskAuth.IamCredentials.Builder b) {
    int sources =
        (a.getProfile() != null ? 1 : 0)
            + (a.getRoleArn() != null ? 1 : 0)
            + (a.getAccessKeyId() != null ? 1 : 0);
    if (sources > 1) {
      throw error(
          "auth.profile",
          "auth.profile, auth.role-arn and auth.access-key-id are different credential sources:"
              + " set one of them (none: the AWS default credentials chain)");
    }
    if (a.getAccessKeyId() == null && (a.getSecretAccessKey() != null || a.getSessionToken() != null)) {
      throw error(
          a.getSecretAccessKey() != null ? "auth.secret-access-key" : "auth.session-token",
          "a secret access key or session token needs auth.access-key-id");
    }
    if (a.getRoleArn() == null && a.getRoleSessionName() != null) {
      throw error("auth.role-session-name", "auth.role-session-name needs auth.role-arn");
    }
    if (a.getProfile() != null) {
      set("auth.profile", a.getProfile(), b::profile);
    } else if (a.getRoleArn() != null) {
      String session = a.getRoleSessionName() == null ? "msk-producer" : a.getRoleSessionName();
      wrap("auth.role-arn", () -> b.assumeRole(a.getRoleArn(), session));
    } else if (a.getAccessKeyId() != null) {
      if (a.getSecretAccessKey() == null) {
        throw error("auth.secret-access-key", "auth.access-key-id needs auth.secret-access-key");
      }
      wrap(
          "auth.access-key-id",
          () ->
              b.staticCredentials(a.getAccessKeyId(), a.getSecretAccessKey(), a.getSessionToken()));
    } else {
      b.defaultChain();
    }
  }

  /**
   * The property behind one of the SDK's option names, e.g. {@code bootstrapServers} to {@code
   * msk.producer.bootstrap-servers}.
   *
   * @param option the SDK's option
   * @return the property
   */
  public static String property(String option) {
    if (option.startsWith(P)) {
      return option;
    }
    return P + option.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
  }

  /**
   * The SDK's exception, with the property's name as its option and in front of its message.
   *
   * @param e the SDK's exception
   * @return the exception to throw
   */
  public static MskConfigurationException named(MskConfigurationException e) {
    return named(e, true, name -> false);
  }

  /**
   * As {@link #named(MskConfigurationException)}; when no bootstrap servers were given (by a
   * property, a customizer or a configuration bean) and the application sets Spring Boot's own
   * {@code spring.kafka.bootstrap-servers} (as a project that wired Spring Kafka by hand does),
   * the message says that the starter reads {@code msk.producer.*} and how to point it at the
   * same brokers.
   *
   * @param e the SDK's exception
   * @param bootstrapGiven whether the configuration built had bootstrap servers
   * @param isSet whether the application sets a property, by name (never resolved: a
   *     placeholder that does not resolve must not hide the SDK's message)
   * @return an exception whose option is the property
   */
  public static MskConfigurationException named(
      MskConfigurationException e, boolean bootstrapGiven, java.util.function.Predicate<String> isSet) {
    MskConfigurationException named = namedOnly(e);
    String spring = "spring.kafka.bootstrap-servers";
    if (!bootstrapGiven
        && named.option().equals(P + "bootstrap-servers")
        && (isSet.test(spring) || isSet.test(spring + "[0]"))) {
      return new MskConfigurationException(
          named.option(),
          named.getMessage()
              + ". "
              + spring
              + " is set, but msk-producer reads msk.producer.*: set msk.producer.bootstrap-servers"
              + " to the same brokers (in application.properties: msk.producer.bootstrap-servers=${"
              + spring
              + "})",
          e);
    }
    return named;
  }

  private static MskConfigurationException namedOnly(MskConfigurationException e) {
    if (e.option().startsWith(P)) {
      return e;
    }
    String property = property(e.option());
    return new MskConfigurationException(property, property + ": " + e.getMessage(), e);
  }

  private static <T> void set(String property, T value, Consumer<T> setter) {
    if (value != null) {
      wrap(property, () -> setter.accept(value));
    }
  }

  private static void wrap(String property, Runnable r) {
    wrapped(
        property,
        () -> {
          r.run();
          return null;
        });
  }

  /** Calls that set several options at once: the SDK's option names the property. */
  private static final Set<String> GROUPS =
      Set.of("build", "auth", "timeouts", "retry", "reconnect-backoff");

  private static <T> T wrapped(String property, Supplier<T> s) {
    try {
      return s.get();
    } catch (MskConfigurationException e) {
      if (e.option().startsWith(P)) {
        throw e;
      }
      String prop = GROUPS.contains(property) ? property(e.option()) : P + property;
      throw new MskConfigurationException(prop, prop + ": " + e.getMessage(), e);
    }
  }

  private static MskConfigurationException error(String property, String message) {
    return new MskConfigurationException(P + property, P + property + ": " + message);
  }

  /**
   * The default close timeout, for the auto-configuration.
   *
   * @param p the properties
   * @return the close timeout, at least zero
   */
  public static Duration closeTimeout(MskProducerProperties p) {
    Duration d = p.getCloseTimeout();
    if (d == null || d.isNegative()) {
      throw error("close-timeout", "close-timeout must be zero or positive, was " + d);
    }
    return d;
  }
}
