package io.github.mskproducer.core;

import io.github.mskproducer.core.internal.config.EnvironmentConfig;
import io.github.mskproducer.core.internal.config.MskHosts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import io.github.mskproducer.core.internal.config.PropertyPolicy;

/**
 * A producer's configuration: what you chose, nothing more. Immutable and comparable ({@code
 * equals}, {@code hashCode}); {@link #toString()} shows no secret. An option you did not set
 * reads as empty (its getter returns {@code Optional.empty()}), never as its default: defaults
 * are applied in one place, when a producer is built, so a layer such as {@code LambdaProducer}
 * can fill only what you left unset. Derive a variant with {@link #toBuilder()}:
 *
 * <pre>{@code
 * MskProducerConfig config = MskProducerConfig.builder()
 *     .bootstrapServers("b-1.demo.abc123.c2.kafka.us-east-1.amazonaws.com:9098")
 *     .build();
 * MskProducer<String, String> producer = MskProducer.builder(String.class, String.class)
 *     .config(config)
 *     .build();
 * MskProducerConfig lowLatency = producer.config().toBuilder().linger(Duration.ZERO).build();
 * }</pre>
 *
 * <p>Each setter checks its own argument and names the option if it is wrong; the options are
 * checked against each other and against the brokers' addresses when a producer is built
 * ({@link MskProducerBuilder#build()}), and by {@link MskDiagnostics}. The environment
 * variables {@link Builder#fromEnvironment()} reads are listed in {@link #ENVIRONMENT_VARIABLES}
 * and in {@link MskProducerBuilder}'s description.
 *
 * <p>This file is long by design: it is the one list of the producer's options, each with a
 * getter, a documented setter, and its share of {@code equals}, {@code toString} and {@code
 * toBuilder}, side by side so that adding an option cannot forget one of them. It decides
 * nothing: defaults and cross-checks live in the settings resolver, the policy on raw Kafka
 * properties in its property policy, the environment variables in their reader.
 */
public final class MskProducerConfig {
  /**
   * The names of the environment variables {@link Builder#fromEnvironment()} reads, e.g. to
   * check a deployment template.
   */
  public static final List<String> ENVIRONMENT_VARIABLES = EnvironmentConfig.VARIABLES;

  private static final MskProducerConfig EMPTY = new Builder().build();

  private final String bootstrapServers;
  private final String region;
  private final MskAuth auth;
  private final Path truststore;
  private final String truststorePassword;
  private final Acks acks;
  private final Boolean idempotence;
  private final Compression compression;
  private final Duration linger;
  private final Integer batchSize;
  private final String clientId;
  private final Timeouts timeouts;
  private final RetryPolicy retry;
  private final FlushPolicy flushPolicy;
  private final Duration reconnectBackoff;
  private final Duration reconnectBackoffMax;
  private final Map<String, String> properties;

  private MskProducerConfig(Builder b) {
    this.bootstrapServers = b.bootstrapServers;
    this.region = b.region;
    this.auth = b.auth;
    this.truststore = b.truststore;
    this.truststorePassword = b.truststorePassword;
    this.acks = b.acks;
    this.idempotence = b.idempotence;
    this.compression = b.compression;
    this.linger = b.linger;
    this.batchSize = b.batchSize;
    this.clientId = b.clientId;
    this.timeouts = b.timeouts;
    this.retry = b.retry;
    this.flushPolicy = b.flushPolicy;
    this.reconnectBackoff = b.reconnectBackoff;
    this.reconnectBackoffMax = b.reconnectBackoffMax;
    this.properties = Collections.unmodifiableMap(new LinkedHashMap<>(b.properties));
  }

  /**
   * A builder with nothing set.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A configuration with nothing set (every option at its default; no bootstrap servers).
   *
   * @return the empty configuration
   */
  public static MskProducerConfig empty() {
    return EMPTY;
  }

  /**
   * A builder starting from this configuration.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.bootstrapServers = bootstrapServers;
    b.region = region;
    b.auth = auth;
    b.truststore = truststore;
    b.truststorePassword = truststorePassword;
    b.acks = acks;
    b.idempotence = idempotence;
    b.compression = compression;
    b.linger = linger;
    b.batchSize = batchSize;
    b.clientId = clientId;
    b.timeouts = timeouts;
    b.retry = retry;
    b.flushPolicy = flushPolicy;
    b.reconnectBackoff = reconnectBackoff;
    b.reconnectBackoffMax = reconnectBackoffMax;
    b.properties.putAll(properties);
    return b;
  }

  /**
   * The bootstrap brokers, if set.
   *
   * @return the bootstrap brokers, if set
   */
  public Optional<String> bootstrapServers() {
    return Optional.ofNullable(bootstrapServers);
  }

  /**
   * The signing region, if set (else it comes from the host names or the SDK).
   *
   * @return the signing region, if set (else it comes from the host names or the SDK)
   */
  public Optional<String> region() {
    return Optional.ofNullable(region);
  }

  /**
   * The authentication, if set (default {@link MskAuth#iam()}).
   *
   * @return the authentication, if set (default {@link MskAuth#iam()})
   */
  public Optional<MskAuth> auth() {
    return Optional.ofNullable(auth);
  }

  /**
   * The truststore file, if set (default: the JVM's truststore).
   *
   * @return the truststore file, if set (default: the JVM's truststore)
   */
  public Optional<Path> truststore() {
    return Optional.ofNullable(truststore);
  }

  /**
   * The PKCS12 truststore's password, if one was given (a PEM file has none).
   *
   * @return the PKCS12 truststore's password, if one was given (a PEM file has none)
   */
  public Optional<String> truststorePassword() {
    return Optional.ofNullable(truststorePassword);
  }

  /**
   * The acknowledgements, if set (default {@link Acks#ALL}).
   *
   * @return the acknowledgements, if set (default {@link Acks#ALL})
   */
  public Optional<Acks> acks() {
    return Optional.ofNullable(acks);
  }

  /**
   * Whether to write idempotently, if set (default: true with {@link Acks#ALL}).
   *
   * @return whether to write idempotently, if set (default: true with {@link Acks#ALL})
   */
  public Optional<Boolean> idempotence() {
    return Optional.ofNullable(idempotence);
  }

  /**
   * The compression, if set (default {@link Compression#LZ4}).
   *
   * @return the compression, if set (default {@link Compression#LZ4})
   */
  public Optional<Compression> compression() {
    return Optional.ofNullable(compression);
  }

  /**
   * Linger, if set (default 10 ms; 0 with {@link FlushPolicy#PER_SEND}).
   *
   * @return linger, if set (default 10 ms; 0 with {@link FlushPolicy#PER_SEND})
   */
  public Optional<Duration> linger() {
    return Optional.ofNullable(linger);
  }

  /**
   * The batch size in bytes, if set (default 64 KiB).
   *
   * @return the batch size in bytes, if set (default 64 KiB)
   */
  public Optional<Integer> batchSize() {
    return Optional.ofNullable(batchSize);
  }

  /**
   * The client id, if set (default {@code msk-producer-<host>-<n>}).
   *
   * @return the client id, if set (default {@code msk-producer-<host>-<n>})
   */
  public Optional<String> clientId() {
    return Optional.ofNullable(clientId);
  }

  /**
   * The time limits; values not set read as Kafka's defaults ({@link Timeouts#isDefault()}
   * when none is set).
   *
   * @return the timeouts, never null
   */
  public Timeouts timeouts() {
    return timeouts;
  }

  /**
   * The retry policy, if set (default {@link RetryPolicy#defaults()}).
   *
   * @return the retry policy, if set (default {@link RetryPolicy#defaults()})
   */
  public Optional<RetryPolicy> retry() {
    return Optional.ofNullable(retry);
  }

  /**
   * The flush policy, if set (default {@link FlushPolicy#ASYNC}).
   *
   * @return the flush policy, if set (default {@link FlushPolicy#ASYNC})
   */
  public Optional<FlushPolicy> flushPolicy() {
    return Optional.ofNullable(flushPolicy);
  }

  /**
   * The first reconnect back-off, if set (default 1 s).
   *
   * @return the first reconnect back-off, if set (default 1 s)
   */
  public Optional<Duration> reconnectBackoff() {
    return Optional.ofNullable(reconnectBackoff);
  }

  /**
   * The largest reconnect back-off, if set (default 10 s).
   *
   * @return the largest reconnect back-off, if set (default 10 s)
   */
  public Optional<Duration> reconnectBackoffMax() {
    return Optional.ofNullable(reconnectBackoffMax);
  }

  /**
   * The extra Kafka producer properties, in the order set; unmodifiable.
   *
   * @return the extra Kafka producer properties, in the order set; unmodifiable
   */
  public Map<String, String> properties() {
    return properties;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof MskProducerConfig)) {
      return false;
    }
    MskProducerConfig c = (MskProducerConfig) o;
    return Objects.equals(bootstrapServers, c.bootstrapServers)
        && Objects.equals(region, c.region)
        && Objects.equals(auth, c.auth)
        && Objects.equals(truststore, c.truststore)
        && Objects.equals(truststorePassword, c.truststorePassword)
        && acks == c.acks
        && Objects.equals(idempotence, c.idempotence)
        && compression == c.compression
        && Objects.equals(linger, c.linger)
        && Objects.equals(batchSize, c.batchSize)
        && Objects.equals(clientId, c.clientId)
        && timeouts.equals(c.timeouts)
        && Objects.equals(retry, c.retry)
        && flushPolicy == c.flushPolicy
        && Objects.equals(reconnectBackoff, c.reconnectBackoff)
        && Objects.equals(reconnectBackoffMax, c.reconnectBackoffMax)
        && properties.equals(c.properties);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        bootstrapServers, region, auth, truststore, acks, idempotence, compression, linger,
        batchSize, clientId, timeouts, retry, flushPolicy, reconnectBackoff, reconnectBackoffMax,
        properties);
  }

  /**
   * The options set, without secrets: credentials show as their source (an access key id as
   * {@code AKIA…}), passwords and property values do not show.
   */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("MskProducerConfig{");
    append(s, "bootstrapServers", bootstrapServers);
    append(s, "region", region);
    append(s, "auth", auth);
    append(s, "truststore", truststore == null ? null : truststore + (truststorePassword == null ? "" : " (PKCS12)"));
    append(s, "acks", acks);
    append(s, "idempotence", idempotence);
    append(s, "compression", compression);
    append(s, "linger", linger);
    append(s, "batchSize", batchSize);
    append(s, "clientId", clientId);
    append(s, "timeouts", timeouts.isDefault() ? null : timeouts);
    append(s, "retry", retry);
    append(s, "flushPolicy", flushPolicy);
    append(s, "reconnectBackoff", reconnectBackoff == null ? null : reconnectBackoff + ".." + reconnectBackoffMax);
    append(s, "properties", properties.isEmpty() ? null : properties.keySet());
    if (s.charAt(s.length() - 1) == ' ') {
      s.setLength(s.length() - 2);
    }
    return s.append('}').toString();
  }

  private static void append(StringBuilder s, String name, Object value) {
    if (value != null) {
      s.append(name).append('=').append(value).append(", ");
    }
  }

  /**
   * Sets options; each setter checks its argument and names the option when it is wrong.
   * Not thread-safe.
   */
  public static final class Builder {
    private String bootstrapServers;
    private String region;
    private MskAuth auth;
    private Path truststore;
    private String truststorePassword;
    private Acks acks;
    private Boolean idempotence;
    private Compression compression;
    private Duration linger;
    private Integer batchSize;
    private String clientId;
    private Timeouts timeouts = Timeouts.defaults();
    private RetryPolicy retry;
    private FlushPolicy flushPolicy;
    private Duration reconnectBackoff;
    private Duration reconnectBackoffMax;
    private final Map<String, String> properties = new LinkedHashMap<>();

    private Builder() {}

    /**
     * The cluster's bootstrap brokers, {@code host:port[,host:port...]}, as {@code aws kafka
     * get-bootstrap-brokers} gives them for your auth (IAM: port 9098, or 9198 for public
     * access). Required to build a producer.
     *
     * @param bootstrapServers the brokers
     * @return this builder
     */
    public Builder bootstrapServers(String bootstrapServers) {
      Objects.requireNonNull(bootstrapServers, "bootstrapServers");
      MskHosts.parse(bootstrapServers);
      this.bootstrapServers = bootstrapServers;
      return this;
    }

    /**
     * The region IAM tokens are signed for. Default: the region in the MSK broker host names
     * ({@code ...kafka.<region>.amazonaws.com}), else the AWS SDK's default region chain ({@code
     * AWS_REGION}, {@code aws.region}, profile). Must match the brokers' region if they name
     * one.
     *
     * @param region e.g. {@code us-east-1}
     * @return this builder
     */
    public Builder region(String region) {
      Objects.requireNonNull(region, "region");
      if (!region.matches("[a-z]{2}(-[a-z]+)+-[0-9]{1,2}")) {
        throw new MskConfigurationException(
            "region", "region '" + region + "' is not an AWS region name such as us-east-1");
      }
      this.region = region;
      return this;
    }

    /**
     * How to authenticate. Default {@link MskAuth#iam()}: IAM with the default credentials
     * chain.
     *
     * @param auth the authentication
     * @return this builder
     */
    public Builder auth(MskAuth auth) {
      this.auth = Objects.requireNonNull(auth, "auth");
      return this;
    }

    /**
     * Trust the broker certificates in this PEM file instead of the JVM's default truststore
     * (which already trusts MSK's certificates). For a local or self-managed broker.
     *
     * @param pemFile a PEM file of certificates
     * @return this builder
     */
    public Builder truststore(Path pemFile) {
      this.truststore = checkReadable("truststore", pemFile);
      this.truststorePassword = null;
      return this;
    }

    /**
     * Trust the broker certificates in this PKCS12 truststore. Default: the JVM's truststore,
     * which trusts MSK's certificates.
     *
     * @param pkcs12File a PKCS12 truststore
     * @param password its password
     * @return this builder
     */
    public Builder truststore(Path pkcs12File, String password) {
      this.truststore = checkReadable("truststore", pkcs12File);
      this.truststorePassword = Objects.requireNonNull(password, "password");
      return this;
    }

    /**
     * Acknowledgements. Default {@link Acks#ALL} (MSK's advice, with replication factor 3 and
     * {@code min.insync.replicas=2}).
     *
     * @param acks the acknowledgements
     * @return this builder
     */
    public Builder acks(Acks acks) {
      this.acks = Objects.requireNonNull(acks, "acks");
      return this;
    }

    /**
     * Idempotent writes: no duplicates and no reordering from Kafka's own retries. Default
     * true with {@link Acks#ALL} (it needs it), false otherwise. Needs the IAM action {@code
     * kafka-cluster:WriteDataIdempotently}.
     *
     * @param idempotence whether to write idempotently
     * @return this builder
     */
    public Builder idempotence(boolean idempotence) {
      this.idempotence = idempotence;
      return this;
    }

    /**
     * Batch compression. Default {@link Compression#LZ4} (MSK advises lz4 or zstd; lz4 costs
     * the least CPU).
     *
     * @param compression the compression
     * @return this builder
     */
    public Builder compression(Compression compression) {
      this.compression = Objects.requireNonNull(compression, "compression");
      return this;
    }

    /**
     * How long a batch waits for more records ({@code linger.ms}). Default 10 ms (MSK advises
     * 5 to 25 ms), 0 with {@link FlushPolicy#PER_SEND}.
     *
     * @param linger zero or positive
     * @return this builder
     */
    public Builder linger(Duration linger) {
      Objects.requireNonNull(linger, "linger");
      if (linger.isNegative() || linger.toMillis() > Integer.MAX_VALUE) {
        throw new MskConfigurationException(
            "linger", "linger must be zero or positive and below 24 days, was " + linger);
      }
      this.linger = linger;
      return this;
    }

    /**
     * The largest batch per partition, in bytes ({@code batch.size}). Default 64 KiB (MSK
     * advises 64 to 128 KiB).
     *
     * @param bytes 1 to 16 MiB
     * @return this builder
     */
    public Builder batchSize(int bytes) {
      if (bytes < 1 || bytes > 16 * 1024 * 1024) {
        throw new MskConfigurationException(
            "batchSize", "batchSize must be 1 to 16777216 bytes, was " + bytes);
      }
      this.batchSize = bytes;
      return this;
    }

    /**
     * The {@code client.id} the brokers see in their logs and quotas. Default {@code
     * msk-producer-<host name>-<n>}.
     *
     * @param clientId 1 to 255 of letters, digits and {@code ._-}
     * @return this builder
     */
    public Builder clientId(String clientId) {
      Objects.requireNonNull(clientId, "clientId");
      if (!clientId.matches("[A-Za-z0-9._-]{1,255}")) {
        throw new MskConfigurationException(
            "clientId", "clientId '" + clientId + "' must be 1 to 255 of letters, digits and ._-");
      }
      this.clientId = clientId;
      return this;
    }

    /**
     * The time limits, replacing any set before. Default {@link Timeouts#defaults()}.
     *
     * @param timeouts the timeouts
     * @return this builder
     */
    public Builder timeouts(Timeouts timeouts) {
      this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
      return this;
    }

    /**
     * Changes some time limits, keeping the others as they are, e.g. {@code timeouts(t ->
     * t.request(ofSeconds(10)))}.
     *
     * @param change sets the values to change
     * @return this builder
     */
    public Builder timeouts(Consumer<Timeouts.Builder> change) {
      Objects.requireNonNull(change, "timeouts");
      Timeouts.Builder b = timeouts.toBuilder();
      change.accept(b);
      this.timeouts = b.build();
      return this;
    }

    /**
     * Retries of sends that fail before reaching the buffer, replacing any policy set before.
     * Default {@link RetryPolicy#defaults()}.
     *
     * @param retry the policy
     * @return this builder
     */
    public Builder retry(RetryPolicy retry) {
      this.retry = Objects.requireNonNull(retry, "retry");
      return this;
    }

    /**
     * Changes the retry policy, keeping the other values as they are (the policy set before,
     * else the defaults), e.g. {@code retry(r -> r.maxAttempts(5))}.
     *
     * @param change sets the values to change
     * @return this builder
     */
    public Builder retry(Consumer<RetryPolicy.Builder> change) {
      Objects.requireNonNull(change, "retry");
      RetryPolicy.Builder b = (retry == null ? RetryPolicy.defaults() : retry).toBuilder();
      change.accept(b);
      this.retry = b.build();
      return this;
    }

    /**
     * When {@code send} waits. Default {@link FlushPolicy#ASYNC}.
     *
     * @param flushPolicy the policy
     * @return this builder
     */
    public Builder flushPolicy(FlushPolicy flushPolicy) {
      this.flushPolicy = Objects.requireNonNull(flushPolicy, "flushPolicy");
      return this;
    }

    /**
     * The pause before reconnecting to a broker, growing exponentially to {@code max} ({@code
     * reconnect.backoff.ms}, {@code reconnect.backoff.max.ms}). Default 1 s to 10 s: MSK rate
     * limits new IAM connections, and advises at least 1 s.
     *
     * @param initial the first pause
     * @param max the largest pause, at least {@code initial}
     * @return this builder
     */
    public Builder reconnectBackoff(Duration initial, Duration max) {
      Duration i = Timeouts.Builder.check("reconnectBackoff", initial);
      Duration m = Timeouts.Builder.check("reconnectBackoff", max);
      if (m.compareTo(i) < 0) {
        throw new MskConfigurationException(
            "reconnectBackoff",
            "reconnectBackoff max (" + m + ") must be at least its initial value (" + i + ")");
      }
      this.reconnectBackoff = i;
      this.reconnectBackoffMax = m;
      return this;
    }

    /**
     * Sets any Kafka producer property this configuration has no option for (e.g. {@code
     * max.request.size}, {@code partitioner.class}). Properties the SDK manages ({@code
     * security.protocol}, {@code sasl.*}, {@code ssl.truststore.*}, any {@code ssl.*} with IAM
     * (checked at build), and those with their own option) are refused with the option to use
     * instead; {@code ssl.endpoint.identification.algorithm} is refused whatever the auth (host
     * name verification cannot be turned off); unknown names are refused to catch typos.
     * Default: Kafka's defaults for every property not set.
     *
     * @param key a Kafka producer property
     * @param value its value
     * @return this builder
     */
    public Builder property(String key, String value) {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
      PropertyPolicy.check(key);
      properties.put(key, value);
      return this;
    }

    /**
     * Applies the environment variables listed in {@link MskProducerBuilder}'s description;
     * options set after this call override them. Call it first.
     *
     * @return this builder
     * @throws MskConfigurationException naming the variable, if one has a bad value
     */
    public Builder fromEnvironment() {
      return applyEnvironment(System.getenv(), false);
    }

    /**
     * Like {@link #fromEnvironment()}, from a map of variables: for tests (the testkit's {@code
     * LocalMskBroker.environment()} gives the local broker's bootstrap, region, truststore and
     * credentials in this form), or a configuration source of your own. Unlike the process
     * environment, {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY} and {@code
     * AWS_SESSION_TOKEN} in the map sign IAM tokens (when no profile or role is named).
     *
     * @param environment variable names to values
     * @return this builder
     */
    public Builder fromEnvironment(Map<String, String> environment) {
      Objects.requireNonNull(environment, "environment");
      return applyEnvironment(environment, true);
    }

    private Builder applyEnvironment(Map<String, String> environment, boolean credentialsFromMap) {
      EnvironmentConfig.apply(
          environment,
          new EnvironmentConfig.Target() {
            @Override
            public void bootstrapServers(String v) {
              Builder.this.bootstrapServers(v);
            }

            @Override
            public void region(String v) {
              Builder.this.region(v);
            }

            @Override
            public void auth(MskAuth v) {
              Builder.this.auth(v);
            }

            @Override
            public void truststore(Path file, String password) {
              if (password == null) {
                Builder.this.truststore(file);
              } else {
                Builder.this.truststore(file, password);
              }
            }

            @Override
            public void clientId(String v) {
              Builder.this.clientId(v);
            }

            @Override
            public void acks(Acks v) {
              Builder.this.acks(v);
            }

            @Override
            public void compression(Compression v) {
              Builder.this.compression(v);
            }

            @Override
            public void linger(Duration v) {
              Builder.this.linger(v);
            }

            @Override
            public void batchSize(int v) {
              Builder.this.batchSize(v);
            }

            @Override
            public void timeouts(Consumer<Timeouts.Builder> v) {
              Builder.this.timeouts(v);
            }
          },
          credentialsFromMap);
      return this;
    }

    /**
     * The configuration. Options are checked against each other when a producer is built.
     *
     * @return an immutable configuration
     */
    public MskProducerConfig build() {
      return new MskProducerConfig(this);
    }

    private static Path checkReadable(String option, Path file) {
      Objects.requireNonNull(file, option);
      if (!Files.isReadable(file)) {
        throw new MskConfigurationException(
            option, option + " file " + file + " does not exist or cannot be read");
      }
      return file;
    }
  }
}
