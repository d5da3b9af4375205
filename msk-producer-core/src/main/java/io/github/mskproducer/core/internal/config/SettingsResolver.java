package io.github.mskproducer.core.internal.config;

import io.github.mskproducer.core.Acks;
import io.github.mskproducer.core.Compression;
import io.github.mskproducer.core.FlushPolicy;
import io.github.mskproducer.core.MskAuth;
import io.github.mskproducer.core.MskConfigurationException;
import io.github.mskproducer.core.MskProducerConfig;
import io.github.mskproducer.core.RetryPolicy;
import io.github.mskproducer.core.Timeouts;
import io.github.mskproducer.core.internal.auth.CredentialsProviders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.SystemSettingsRegionProvider;

/**
 * The one place defaults are applied: turns what the user chose ({@link MskProducerConfig})
 * into {@link Settings}, checking the options against each other (naming both) and against the
 * brokers' addresses.
 */
public final class SettingsResolver {
  /** Default linger: MSK advises 5 to 25 ms. */
  public static final Duration DEFAULT_LINGER = Duration.ofMillis(10);
  /** Default batch size: MSK advises 64 to 128 KiB. */
  public static final int DEFAULT_BATCH_SIZE = 64 * 1024;
  /** Default first reconnect back-off: MSK advises at least 1 s with IAM. */
  public static final Duration DEFAULT_RECONNECT_BACKOFF = Duration.ofSeconds(1);
  /** Default largest reconnect back-off. */
  public static final Duration DEFAULT_RECONNECT_BACKOFF_MAX = Duration.ofSeconds(10);

  private static final AtomicInteger PRODUCER_COUNT = new AtomicInteger();

  private final Supplier<Optional<String>> defaultRegion;

  /**
   * With the AWS SDK's region chain, less the instance metadata service, for IAM brokers that
   * are not MSK host names.
   */
  public SettingsResolver() {
    this(SettingsResolver::sdkDefaultRegion);
  }

  /** For tests: the SDK's default region chain replaced. */
  public SettingsResolver(Supplier<Optional<String>> defaultRegion) {
    this.defaultRegion = defaultRegion;
  }

  /**
   * Validates and resolves every option.
   *
   * @throws MskConfigurationException naming the option(s)
   */
  public Settings resolve(MskProducerConfig c) {
    List<MskHosts.Address> brokers = MskHosts.parse(c.bootstrapServers().orElse(null));
    String bootstrap = String.join(",", brokers.stream().map(Object::toString).toList());
    MskAuth auth = c.auth().orElse(MskAuth.iam());
    MskHosts.checkPorts(brokers, auth.mechanism());

    String region = null;
    String regionSource = null;
    if (auth.isIam()) {
      Optional<String> hostRegion = MskHosts.commonRegion(brokers);
      if (c.region().isPresent()) {
        region = c.region().get();
        if (hostRegion.isPresent() && !hostRegion.get().equals(region)) {
          throw new MskConfigurationException(
              "region",
              "region("
                  + region
                  + ") differs from the region of the brokers ("
                  + hostRegion.get()
                  + "): IAM tokens must be signed for the cluster's region; drop region(...) or"
                  + " set it to "
                  + hostRegion.get());
        }
        regionSource = "set";
      } else if (hostRegion.isPresent()) {
        region = hostRegion.get();
        regionSource = "from broker host names";
      } else {
        region =
            defaultRegion
                .get()
                .orElseThrow(
                    () ->
                        new MskConfigurationException(
                            "region",
                            "no region for IAM: the brokers "
                                + bootstrap
                                + " are not MSK host names, and the AWS SDK's default region"
                                + " chain found none. Set region(\"<region>\") or the"
                                + " environment variable AWS_REGION"));
        regionSource = "from the AWS SDK default region chain";
      }
    }
    if (auth.mechanism() == MskAuth.Mechanism.IAM_LEGACY) {
      checkLegacy(auth.iamCredentials().orElseThrow());
    }
    if (auth.isIam()
        && auth.iamCredentials().orElseThrow().source()
            == MskAuth.IamCredentials.Source.ASSUME_ROLE) {
      CredentialsProviders.requireSts();
    }

    Acks acks = c.acks().orElse(Acks.ALL);
    if (c.idempotence().orElse(false) && acks != Acks.ALL) {
      throw new MskConfigurationException(
          "idempotence",
          "idempotence(true) needs acks(Acks.ALL), but acks is "
              + acks
              + ": set acks(Acks.ALL), or idempotence(false)");
    }
    boolean idempotence = c.idempotence().orElse(acks == Acks.ALL);
    FlushPolicy flushPolicy = c.flushPolicy().orElse(FlushPolicy.ASYNC);
    Duration linger =
        c.linger().orElse(flushPolicy == FlushPolicy.PER_SEND ? Duration.ZERO : DEFAULT_LINGER);
    Timeouts timeouts = c.timeouts();
    if (timeouts.delivery().compareTo(linger.plus(timeouts.request())) < 0) {
      throw new MskConfigurationException(
          "timeouts.delivery",
          "timeouts.delivery ("
              + timeouts.delivery()
              + ") must be at least linger ("
              + linger
              + ") + timeouts.request ("
              + timeouts.request()
              + "), as Kafka requires: raise timeouts.delivery or lower timeouts.request");
    }
    for (String key : c.properties().keySet()) {
      if (auth.isIam() && key.startsWith("ssl.")) {
        throw new MskConfigurationException(
            key,
            "Kafka property "
                + key
                + " is managed for IAM (TLS to MSK needs no client settings); use truststore(...)"
                + " for a non-MSK broker's certificate");
      }
    }
    return new Settings(
        brokers,
        bootstrap,
        auth,
        region,
        regionSource,
        c.truststore().orElse(null),
        c.truststorePassword().orElse(null),
        acks,
        idempotence,
        c.compression().orElse(Compression.LZ4),
        linger,
        c.batchSize().orElse(DEFAULT_BATCH_SIZE),
        c.clientId().orElseGet(() -> "msk-producer-" + hostName() + "-" + PRODUCER_COUNT.incrementAndGet()),
        timeouts,
        c.retry().orElse(RetryPolicy.defaults()),
        flushPolicy,
        c.reconnectBackoff().orElse(DEFAULT_RECONNECT_BACKOFF),
        c.reconnectBackoffMax().orElse(DEFAULT_RECONNECT_BACKOFF_MAX),
        c.properties());
  }

  private static void checkLegacy(MskAuth.IamCredentials c) {
    try {
      Class.forName(
          "software.amazon.msk.auth.iam.IAMLoginModule",
          false,
          SettingsResolver.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new MskConfigurationException(
          "auth",
          "MskAuth.iamLegacy needs aws-msk-iam-auth: add software.amazon.msk:aws-msk-iam-auth,"
              + " or use MskAuth.iam(), which needs nothing more",
          e);
    }
    if (c.source() == MskAuth.IamCredentials.Source.PROVIDER
        || c.source() == MskAuth.IamCredentials.Source.STATIC) {
      throw new MskConfigurationException(
          "auth",
          "MskAuth.iamLegacy supports the default chain, a profile or assume-role, not "
              + c.source()
              + ": use MskAuth.iam(c -> ...) for a credentials provider or static keys");
    }
  }

  private static Optional<String> sdkDefaultRegion() {
    try {
      // The SDK's chain without its last link, the instance metadata service: no network call
      // on the thread that builds the producer.
      return Optional.of(
          new AwsRegionProviderChain(new SystemSettingsRegionProvider(), new AwsProfileRegionProvider())
              .getRegion()
              .id());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The host name without a DNS lookup: environment, then the kernel's. */
  private static String hostName() {
    for (String var : new String[] {"HOSTNAME", "COMPUTERNAME"}) {
      String v = System.getenv(var);
      if (v != null && !v.isBlank()) {
        return sanitize(v);
      }
    }
    try {
      Path kernel = Path.of("/proc/sys/kernel/hostname");
      if (Files.isReadable(kernel)) {
        return sanitize(Files.readString(kernel).trim());
      }
    } catch (java.io.IOException | RuntimeException e) {
      // fall through
    }
    return "host";
  }

  private static String sanitize(String host) {
    String s = host.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-");
    return s.isEmpty() ? "host" : s.length() > 100 ? s.substring(0, 100) : s;
  }
}
