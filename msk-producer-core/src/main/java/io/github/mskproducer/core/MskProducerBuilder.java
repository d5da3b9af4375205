package io.github.mskproducer.core;

import io.github.mskproducer.core.internal.Version;
import io.github.mskproducer.core.internal.auth.CredentialsException;
import io.github.mskproducer.core.internal.auth.CredentialsProviders;
import io.github.mskproducer.core.internal.auth.IamTokenGenerator;
import io.github.mskproducer.core.internal.auth.TokenSource;
import io.github.mskproducer.core.internal.auth.TokenSources;
import io.github.mskproducer.core.internal.config.EnvironmentConfig;
import io.github.mskproducer.core.internal.config.KafkaProperties;
import io.github.mskproducer.core.internal.config.MskHosts;
import io.github.mskproducer.core.internal.config.Settings;
import io.github.mskproducer.core.internal.send.Errors;
import io.github.mskproducer.core.internal.kafka.KafkaClientFacts;
import io.github.mskproducer.core.internal.send.FirstAuthentication;
import io.github.mskproducer.core.internal.serde.Serializers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * Configures an {@link MskProducer}. Every setter checks its argument and says what is wrong;
 * {@link #build()} resolves defaults, checks options against each other (naming both) and
 * against the brokers' addresses, and starts the producer. Not thread-safe; build once.
 *
 * <p>Only {@link #bootstrapServers(String)} is required. With no other option the producer
 * uses IAM with the default credentials chain, the region of the MSK host names, {@code
 * acks=all}, idempotence, lz4, linger 10 ms, 64 KiB batches, Kafka's timeouts, and MSK's
 * advice for IAM reconnects (1 s, growing to 10 s).
 *
 * <p>{@link #fromEnvironment()} reads these variables (any of them may be absent):
 *
 * <table>
 *   <caption>Environment variables</caption>
 *   <tr><th>variable</th><th>option</th></tr>
 *   <tr><td>{@code MSK_BOOTSTRAP_SERVERS}</td><td>{@link #bootstrapServers(String)}</td></tr>
 *   <tr><td>{@code AWS_REGION}, else {@code AWS_DEFAULT_REGION}</td><td>{@link
 *       #region(String)}</td></tr>
 *   <tr><td>{@code MSK_AUTH}: {@code iam}, {@code iam-legacy}, {@code tls}, {@code scram},
 *       {@code plaintext}</td><td>{@link #auth(MskAuth)}</td></tr>
 *   <tr><td>{@code MSK_AWS_PROFILE}</td><td>IAM credentials from this profile</td></tr>
 *   <tr><td>{@code MSK_ROLE_ARN}, {@code MSK_ROLE_SESSION_NAME}</td><td>IAM credentials by
 *       assume-role</td></tr>
 *   <tr><td>{@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}, {@code
 *       AWS_SESSION_TOKEN}</td><td>read by {@link #fromEnvironment(Map)} only: IAM credentials
 *       from the map, when both keys are in it and IAM with no profile or role is chosen (how
 *       {@code LocalMskBroker.environment()} hands a test its identity). From the process
 *       environment the SDK's default chain reads them itself.</td></tr>
 *   <tr><td>{@code MSK_SCRAM_USERNAME}, {@code MSK_SCRAM_PASSWORD}</td><td>SCRAM
 *       user</td></tr>
 *   <tr><td>{@code MSK_TRUSTSTORE}, {@code MSK_TRUSTSTORE_PASSWORD}</td><td>{@link
 *       #truststore(Path)} (PEM) or {@link #truststore(Path, String)} (PKCS12)</td></tr>
 *   <tr><td>{@code MSK_CLIENT_ID}</td><td>{@link #clientId(String)}</td></tr>
 *   <tr><td>{@code MSK_ACKS}: {@code all}, {@code 1}, {@code 0}</td><td>{@link
 *       #acks(Acks)}</td></tr>
 *   <tr><td>{@code MSK_COMPRESSION}</td><td>{@link #compression(Compression)}</td></tr>
 *   <tr><td>{@code MSK_LINGER_MS}, {@code MSK_BATCH_SIZE}</td><td>{@link #linger(Duration)},
 *       {@link #batchSize(int)}</td></tr>
 *   <tr><td>{@code MSK_REQUEST_TIMEOUT_MS}, {@code MSK_DELIVERY_TIMEOUT_MS}, {@code
 *       MSK_MAX_BLOCK_MS}</td><td>{@link #timeouts(Consumer)}</td></tr>
 * </table>
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class MskProducerBuilder<K, V> {
  private static final Logger LOG = LoggerFactory.getLogger(MskProducer.class);
  private static final AtomicInteger PRODUCER_COUNT = new AtomicInteger();
  static final Duration DEFAULT_LINGER = Duration.ofMillis(10);
  static final int DEFAULT_BATCH_SIZE = 64 * 1024;

  private final Serializer<K> keySerializer;
  private final Serializer<V> valueSerializer;
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
  private Timeouts timeouts;
  private RetryPolicy retry;
  private FlushPolicy flushPolicy;
  private Duration reconnectBackoff;
  private Duration reconnectBackoffMax;
  private final List<MskProducerListener> listeners = new ArrayList<>();
  private final Map<String, String> properties = new LinkedHashMap<>();
  private Supplier<Optional<String>> defaultRegion = MskProducerBuilder::sdkDefaultRegion;
  private Clock clock = Clock.systemUTC();

  MskProducerBuilder(Serializer<K> keySerializer, Serializer<V> valueSerializer) {
    this.keySerializer = keySerializer;
    this.valueSerializer = valueSerializer;
  }

  /**
   * The cluster's bootstrap brokers, {@code host:port[,host:port...]}, as {@code aws kafka
   * get-bootstrap-brokers} gives them for your auth (IAM: port 9098, or 9198 for public
   * access). Required.
   *
   * @param bootstrapServers the brokers
   * @return this builder
   */
  public MskProducerBuilder<K, V> bootstrapServers(String bootstrapServers) {
    this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    MskHosts.parse(bootstrapServers);
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
  public MskProducerBuilder<K, V> region(String region) {
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
  public MskProducerBuilder<K, V> auth(MskAuth auth) {
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
  public MskProducerBuilder<K, V> truststore(Path pemFile) {
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
  public MskProducerBuilder<K, V> truststore(Path pkcs12File, String password) {
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
  public MskProducerBuilder<K, V> acks(Acks acks) {
    this.acks = Objects.requireNonNull(acks, "acks");
    return this;
  }

  /**
   * Idempotent writes: no duplicates and no reordering from Kafka's own retries. Default true
   * with {@link Acks#ALL} (it needs it), false otherwise. Needs the IAM action {@code
   * kafka-cluster:WriteDataIdempotently}.
   *
   * @param idempotence whether to write idempotently
   * @return this builder
   */
  public MskProducerBuilder<K, V> idempotence(boolean idempotence) {
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
  public MskProducerBuilder<K, V> compression(Compression compression) {
    this.compression = Objects.requireNonNull(compression, "compression");
    return this;
  }

  /**
   * How long a batch waits for more records ({@code linger.ms}). Default 10 ms (MSK advises 5
   * to 25 ms), 0 with {@link FlushPolicy#PER_SEND}.
   *
   * @param linger zero or positive
   * @return this builder
   */
  public MskProducerBuilder<K, V> linger(Duration linger) {
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
  public MskProducerBuilder<K, V> batchSize(int bytes) {
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
  public MskProducerBuilder<K, V> clientId(String clientId) {
    Objects.requireNonNull(clientId, "clientId");
    if (!clientId.matches("[A-Za-z0-9._-]{1,255}")) {
      throw new MskConfigurationException(
          "clientId", "clientId '" + clientId + "' must be 1 to 255 of letters, digits and ._-");
    }
    this.clientId = clientId;
    return this;
  }

  /**
   * The time limits. Default {@link Timeouts#defaults()}.
   *
   * @param timeouts the timeouts
   * @return this builder
   */
  public MskProducerBuilder<K, V> timeouts(Timeouts timeouts) {
    this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
    return this;
  }

  /**
   * Changes some time limits, e.g. {@code timeouts(t -> t.request(ofSeconds(10)))}.
   *
   * @param change sets the values to change, from the current (or default) ones
   * @return this builder
   */
  public MskProducerBuilder<K, V> timeouts(Consumer<Timeouts.Builder> change) {
    Objects.requireNonNull(change, "timeouts");
    Timeouts.Builder b = (timeouts == null ? Timeouts.defaults() : timeouts).toBuilder();
    change.accept(b);
    this.timeouts = b.build();
    return this;
  }

  /**
   * Retries of sends that fail before reaching the buffer. Default {@link
   * RetryPolicy#defaults()}.
   *
   * @param retry the policy
   * @return this builder
   */
  public MskProducerBuilder<K, V> retry(RetryPolicy retry) {
    this.retry = Objects.requireNonNull(retry, "retry");
    return this;
  }

  /**
   * Sets the retry policy, e.g. {@code retry(r -> r.maxAttempts(5))}.
   *
   * @param config sets the policy, from the defaults
   * @return this builder
   */
  public MskProducerBuilder<K, V> retry(Consumer<RetryPolicy.Builder> config) {
    Objects.requireNonNull(config, "retry");
    RetryPolicy.Builder b = RetryPolicy.builder();
    config.accept(b);
    this.retry = b.build();
    return this;
  }

  /**
   * When {@code send} waits. Default {@link FlushPolicy#ASYNC}.
   *
   * @param flushPolicy the policy
   * @return this builder
   */
  public MskProducerBuilder<K, V> flushPolicy(FlushPolicy flushPolicy) {
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
  public MskProducerBuilder<K, V> reconnectBackoff(Duration initial, Duration max) {
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
   * Hears token, retry, failure and close events. May be called more than once. Default: no
   * listener.
   *
   * @param listener the listener
   * @return this builder
   */
  public MskProducerBuilder<K, V> listener(MskProducerListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return this;
  }

  /**
   * Sets any Kafka producer property this builder has no option for (e.g. {@code
   * max.request.size}, {@code partitioner.class}). Properties the builder manages ({@code
   * security.protocol}, {@code sasl.*}, {@code ssl.truststore.*}, any {@code ssl.*} with IAM
   * (checked at build), and those with their own option) are refused with the option to use
   * instead; {@code ssl.endpoint.identification.algorithm} is refused whatever the auth (host
   * name verification cannot be turned off); unknown names are refused to catch typos.
   * Default: Kafka's defaults for every property this builder does not set.
   *
   * @param key a Kafka producer property
   * @param value its value
   * @return this builder
   */
  public MskProducerBuilder<K, V> property(String key, String value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    String option = MANAGED.get(key);
    if (option == null && (key.startsWith("sasl.") || key.equals("security.protocol"))) {
      option = "auth(...)";
    }
    if (option == null && key.startsWith("ssl.truststore.")) {
      option = "truststore(...)";
    }
    if (key.equals("ssl.endpoint.identification.algorithm")) {
      throw new MskConfigurationException(
          key,
          "Kafka property "
              + key
              + " cannot be changed: TLS host name verification stays on (MSK's broker"
              + " certificates match the broker names; turning it off lets anyone on the path"
              + " impersonate a broker and receive your IAM tokens). For a local broker, connect"
              + " to a name its certificate has");
    }
    if (option != null) {
      throw new MskConfigurationException(
          key, "Kafka property " + key + " is set by the builder: use " + option + " instead");
    }
    if (!ProducerConfig.configNames().contains(key)) {
      throw new MskConfigurationException(
          key,
          "'" + key + "' is not a Kafka producer property (see ProducerConfig); check the spelling");
    }
    properties.put(key, value);
    return this;
  }

  private static final Map<String, String> MANAGED =
      Map.ofEntries(
          Map.entry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "bootstrapServers(...)"),
          Map.entry(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, "MskProducer.builder(serializers)"),
          Map.entry(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, "MskProducer.builder(serializers)"),
          Map.entry(ProducerConfig.ACKS_CONFIG, "acks(...)"),
          Map.entry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "idempotence(...)"),
          Map.entry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "compression(...)"),
          Map.entry(ProducerConfig.LINGER_MS_CONFIG, "linger(...)"),
          Map.entry(ProducerConfig.BATCH_SIZE_CONFIG, "batchSize(...)"),
          Map.entry(ProducerConfig.CLIENT_ID_CONFIG, "clientId(...)"),
          Map.entry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "timeouts(t -> t.request(...))"),
          Map.entry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "timeouts(t -> t.delivery(...))"),
          Map.entry(ProducerConfig.MAX_BLOCK_MS_CONFIG, "timeouts(t -> t.maxBlock(...))"),
          Map.entry(
              "socket.connection.setup.timeout.ms", "timeouts(t -> t.connectionSetup(...))"),
          Map.entry(
              "socket.connection.setup.timeout.max.ms", "timeouts(t -> t.connectionSetupMax(...))"),
          Map.entry(ProducerConfig.RECONNECT_BACKOFF_MS_CONFIG, "reconnectBackoff(...)"),
          Map.entry(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "reconnectBackoff(...)"));

  /**
   * The names of the environment variables {@link #fromEnvironment()} reads, e.g. to check a
   * deployment template: {@code MSK_BOOTSTRAP_SERVERS}, {@code AWS_REGION}, {@code
   * AWS_DEFAULT_REGION}, {@code MSK_AUTH}, {@code MSK_AWS_PROFILE}, {@code MSK_ROLE_ARN}, {@code
   * MSK_ROLE_SESSION_NAME}, {@code MSK_SCRAM_USERNAME}, {@code MSK_SCRAM_PASSWORD}, {@code
   * MSK_TRUSTSTORE}, {@code MSK_TRUSTSTORE_PASSWORD}, {@code MSK_CLIENT_ID}, {@code MSK_ACKS},
   * {@code MSK_COMPRESSION}, {@code MSK_LINGER_MS}, {@code MSK_BATCH_SIZE}, {@code
   * MSK_REQUEST_TIMEOUT_MS}, {@code MSK_DELIVERY_TIMEOUT_MS}, {@code MSK_MAX_BLOCK_MS}.
   */
  public static final List<String> ENVIRONMENT_VARIABLES = EnvironmentConfig.VARIABLES;

  /**
   * Applies the environment variables listed in the class description; options set after this
   * call override them. Call it first.
   *
   * @return this builder
   * @throws MskConfigurationException naming the variable, if one has a bad value
   */
  public MskProducerBuilder<K, V> fromEnvironment() {
    return applyEnvironment(System.getenv(), false);
  }

  /**
   * Like {@link #fromEnvironment()}, from a map of variables: for tests (the testkit's {@code
   * LocalMskBroker.environment()} gives the local broker's bootstrap, region, truststore and
   * credentials in this form), or a configuration source of your own.
   *
   * <pre>{@code
   * MskProducer<String, String> producer = MskProducer.builder(String.class, String.class)
   *     .fromEnvironment(msk.environment())
   *     .build();
   * }</pre>
   *
   * @param environment variable names to values
   * @return this builder
   */
  public MskProducerBuilder<K, V> fromEnvironment(Map<String, String> environment) {
    Objects.requireNonNull(environment, "environment");
    return applyEnvironment(environment, true);
  }

  private MskProducerBuilder<K, V> applyEnvironment(
      Map<String, String> environment, boolean credentialsFromMap) {
    EnvironmentConfig.apply(environment, new EnvironmentConfig.Target() {
      @Override
      public void bootstrapServers(String v) {
        MskProducerBuilder.this.bootstrapServers(v);
      }

      @Override
      public void region(String v) {
        MskProducerBuilder.this.region(v);
      }

      @Override
      public void auth(MskAuth v) {
        MskProducerBuilder.this.auth(v);
      }

      @Override
      public void truststore(Path file, String password) {
        if (password == null) {
          MskProducerBuilder.this.truststore(file);
        } else {
          MskProducerBuilder.this.truststore(file, password);
        }
      }

      @Override
      public void clientId(String v) {
        MskProducerBuilder.this.clientId(v);
      }

      @Override
      public void acks(Acks v) {
        MskProducerBuilder.this.acks(v);
      }

      @Override
      public void compression(Compression v) {
        MskProducerBuilder.this.compression(v);
      }

      @Override
      public void linger(Duration v) {
        MskProducerBuilder.this.linger(v);
      }

      @Override
      public void batchSize(int v) {
        MskProducerBuilder.this.batchSize(v);
      }

      @Override
      public void timeouts(Consumer<Timeouts.Builder> v) {
        MskProducerBuilder.this.timeouts(v);
      }
    }, credentialsFromMap);
    return this;
  }

  /** For tests: the SDK default region chain replaced. */
  MskProducerBuilder<K, V> defaultRegion(Supplier<Optional<String>> defaultRegion) {
    this.defaultRegion = defaultRegion;
    return this;
  }

  /** For tests: the clock tokens are signed with. */
  MskProducerBuilder<K, V> clock(Clock clock) {
    this.clock = clock;
    return this;
  }

  // ------------------------------------------------------------------ build

  /**
   * Checks the configuration and starts the producer. Kafka's producer connects at once; with
   * IAM and idempotence (the defaults) build() waits until it has its producer id (up to 5 s,
   * usually well under a second), because an idempotent Kafka producer whose authentication
   * fails before that never sends (KAFKA-20237): if the broker refused it with MSK's "Too many
   * connects" (many clients starting together), build() starts a new one
   * after the retry back-off, for up to the retry policy's maxElapsed (default max block; at
   * least 10 s), and tells listeners through {@link MskProducerListener#onRetry} with a null
   * topic. Other authentication failures (wrong credentials) are left to the first send.
   *
   * @return the producer
   * @throws MskConfigurationException naming the option(s), if the configuration is wrong
   * @throws MskAuthenticationException if IAM credentials cannot be found
   */
  public MskProducer<K, V> build() {
    Settings s = resolve();
    // Checked where a producer is made, not in resolve(): the doctor and describe() still run.
    if (s.auth.mechanism() == MskAuth.Mechanism.SCRAM_SHA_512
        && KafkaClientFacts.scramBroken(KafkaClientFacts.clientsVersion(), Runtime.version().feature())) {
      throw new MskConfigurationException(
          "auth",
          "auth scram(...) cannot work with kafka-clients "
              + KafkaClientFacts.clientsVersion()
              + " on Java "
              + Runtime.version().feature()
              + ": kafka-clients before 3.9 call Subject.getSubject, which Java 23 and later refuse"
              + " (\"getSubject is not supported\"). Use kafka-clients 3.9 or newer, or Java 22 or"
              + " older");
    }
    if (s.auth.mechanism() == MskAuth.Mechanism.PLAINTEXT) {
      LOG.warn(
          "msk-producer {} uses PLAINTEXT: no encryption, no authentication. For local"
              + " development only; MSK clusters should use auth(MskAuth.iam())",
          s.clientId);
    }
    Resources resources = new Resources();
    TokenSource source = null;
    String tokenSourceId = null;
    if (s.auth.mechanism() == MskAuth.Mechanism.IAM) {
      source = tokenSource(s, resources);
      String id = TokenSources.register(source);
      resources.add(() -> TokenSources.unregister(id));
      tokenSourceId = id;
    }
    TokenSource signer = source;
    Errors errors =
        new Errors(Errors.Context.of(s, () -> signer == null ? null : signer.lastAccessKeyId()));
    Producer<K, V> kafka = kafkaProducer(s, tokenSourceId, errors, resources);
    if (s.idempotence && s.auth.mechanism() == MskAuth.Mechanism.IAM) {
      kafka = unstuck(kafka, s, tokenSourceId, errors, resources);
    }
    errors.connectionMetrics(kafka::metrics);
    // From here the producer owns the serializers: closed once, when it closes (a failed
    // build() leaves them open for the caller).
    resources.add(() -> Serializers.closeOnce(keySerializer, valueSerializer));
    MskProducer<K, V> producer =
        new MskProducer<>(
            kafka, s, KafkaProperties.connection(s, tokenSourceId), errors, listeners, resources);
    LOG.info("msk-producer {} {} started: {}", Version.get(), s.clientId, s.describe());
    return producer;
  }

  private Producer<K, V> kafkaProducer(
      Settings s, String tokenSourceId, Errors errors, Resources resources) {
    try {
      // Kafka closes what it is given; the user's serializers outlive a restarted producer.
      return new KafkaProducer<>(
          KafkaProperties.create(s, tokenSourceId),
          Serializers.kept(keySerializer),
          Serializers.kept(valueSerializer));
    } catch (RuntimeException e) {
      resources.run();
      throw errors.general(e, "the Kafka producer could not be created");
    }
  }

  /**
   * An idempotent Kafka producer whose first connection fails authentication never sends
   * (see {@link FirstAuthentication}): on MSK this happens when many clients start at once and
   * the broker answers "Too many connects". Waits for the first authentication (at most
   * {@link #FIRST_AUTHENTICATION_WAIT} or the connection set-up timeout); if it failed, closes
   * that producer, which has sent nothing, and starts a new one after the retry policy's
   * back-off, for as long as the retry policy's maxElapsed allows (default max block), and at
   * least {@link #STARTUP_RETRY_BUDGET}. Each replacement is reported to the listeners' onRetry.
   */
  private Producer<K, V> unstuck(
      Producer<K, V> first, Settings s, String tokenSourceId, Errors errors, Resources resources) {
    Duration bound =
        s.timeouts.connectionSetup().compareTo(FIRST_AUTHENTICATION_WAIT) < 0
            ? s.timeouts.connectionSetup()
            : FIRST_AUTHENTICATION_WAIT;
    Duration budget = s.retry.maxElapsed().orElse(s.timeouts.maxBlock());
    if (budget.compareTo(STARTUP_RETRY_BUDGET) < 0) {
      budget = STARTUP_RETRY_BUDGET;
    }
    long start = System.nanoTime();
    Producer<K, V> kafka = first;
    double backoffMs = s.retry.initialBackoff().toMillis();
    for (int attempt = 1; ; attempt++) {
      if (FirstAuthentication.await(kafka, bound) != FirstAuthentication.Outcome.FAILED) {
        return kafka;
      }
      if (!FirstAuthentication.refusedForRate(kafka, PROBE_WAIT)) {
        return kafka; // wrong credentials, say: a new producer fails the same; send reports it
      }
      long wait =
          (long)
              Math.min(
                  s.retry.maxBackoff().toMillis(),
                  backoffMs
                      * (1 + s.retry.jitter() * (2 * ThreadLocalRandom.current().nextDouble() - 1)));
      long elapsedMs = (System.nanoTime() - start) / 1_000_000;
      if (elapsedMs + wait > budget.toMillis()) {
        LOG.warn(
            "msk-producer {}: the first connection to {} still fails IAM authentication after {}"
                + " attempts in {} ms; giving up restarting (retry.maxElapsed): records sent"
                + " to this producer will fail at the delivery timeout",
            s.clientId,
            s.bootstrap,
            attempt,
            elapsedMs);
        return kafka;
      }
      MskAuthenticationException cause =
          new MskAuthenticationException(
              MskAuthenticationException.Reason.TOO_MANY_CONNECTS,
              "the producer's first connection to "
                  + s.bootstrap
                  + " was refused IAM authentication before it had a producer id: Too many"
                  + " connects (many clients starting at once); an idempotent Kafka"
                  + " producer does not recover from this by itself (KAFKA-20237), so a new one"
                  + " starts in "
                  + wait
                  + " ms",
              null);
      LOG.warn("msk-producer {}: {}", s.clientId, cause.getMessage());
      for (MskProducerListener l : listeners) {
        try {
          l.onRetry(null, attempt, Duration.ofMillis(wait), cause);
        } catch (RuntimeException e) {
          LOG.warn("an MskProducerListener failed (ignored): {}", e.toString());
        }
      }
      kafka.close(Duration.ZERO);
      try {
        Thread.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        resources.run();
        throw errors.general(e, "interrupted while starting the Kafka producer");
      }
      kafka = kafkaProducer(s, tokenSourceId, errors, resources);
      backoffMs *= s.retry.multiplier();
    }
  }

  /** The longest build() waits to learn why a first authentication failed. */
  private static final Duration PROBE_WAIT = Duration.ofSeconds(2);

  /** The least time build() keeps restarting a producer whose first authentication failed. */
  private static final Duration STARTUP_RETRY_BUDGET = Duration.ofSeconds(10);

  /** The longest build() waits to see the first authentication of an idempotent producer. */
  private static final Duration FIRST_AUTHENTICATION_WAIT = Duration.ofSeconds(5);

  /**
   * The producer's token source, with a first token signed now: without credentials this fails
   * here, clearly, where Kafka's login would only say "Failed to construct kafka producer".
   */
  private TokenSource tokenSource(Settings s, Resources resources) {
    MskAuth.IamCredentials credentials = s.auth.iamCredentials().orElseThrow();
    CredentialsProviders.Made made = CredentialsProviders.create(credentials, s.region);
    resources.add(made::close);
    List<MskProducerListener> ls = List.copyOf(listeners);
    TokenSource source =
        new TokenSource(
            made.provider(),
            credentials.toString(),
            s.region,
            new IamTokenGenerator(clock, Version.userAgent()),
            (region, expiresAt) -> {
              for (MskProducerListener l : ls) {
                try {
                  l.onTokenGenerated(region, expiresAt);
                } catch (RuntimeException e) {
                  LOG.warn("an MskProducerListener failed (ignored): {}", e.toString());
                }
              }
            });
    try {
      source.newToken();
    } catch (CredentialsException e) {
      resources.run();
      throw new MskAuthenticationException(
          e.kind() == CredentialsException.Kind.EXPIRED
              ? MskAuthenticationException.Reason.CREDENTIALS_EXPIRED
              : MskAuthenticationException.Reason.NO_CREDENTIALS,
          e.getMessage(),
          e);
    }
    return source;
  }

  /** What a producer made and must release when it closes, in reverse order. */
  private static final class Resources implements Runnable {
    private final List<Runnable> releases = new ArrayList<>();

    void add(Runnable release) {
      releases.add(release);
    }

    @Override
    public void run() {
      for (int i = releases.size() - 1; i >= 0; i--) {
        try {
          releases.get(i).run();
        } catch (RuntimeException e) {
          LOG.debug("releasing a producer resource: {}", e.toString());
        }
      }
      releases.clear();
    }
  }

  /** For the doctor: the bootstrap servers as given, or null. */
  String bootstrapServersOrNull() {
    return bootstrapServers;
  }

  /** For the doctor: the authentication as given, or the default. */
  MskAuth authOrDefault() {
    return auth == null ? MskAuth.iam() : auth;
  }

  /** Validates and resolves every option. Package-private for tests. */
  Settings resolve() {
    Settings s = new Settings();
    s.brokers = MskHosts.parse(bootstrapServers);
    s.bootstrap = String.join(",", s.brokers.stream().map(Object::toString).toList());
    s.auth = auth == null ? MskAuth.iam() : auth;
    MskHosts.checkPorts(s.brokers, s.auth.mechanism());

    if (s.auth.isIam()) {
      Optional<String> hostRegion = MskHosts.commonRegion(s.brokers);
      if (region != null) {
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
        s.region = region;
        s.regionSource = "set";
      } else if (hostRegion.isPresent()) {
        s.region = hostRegion.get();
        s.regionSource = "from broker host names";
      } else {
        s.region =
            defaultRegion
                .get()
                .orElseThrow(
                    () ->
                        new MskConfigurationException(
                            "region",
                            "no region for IAM: the brokers "
                                + s.bootstrap
                                + " are not MSK host names, and the AWS SDK's default region"
                                + " chain found none. Set region(\"<region>\") or the"
                                + " environment variable AWS_REGION"));
        s.regionSource = "from the AWS SDK default region chain";
      }
    }
    if (s.auth.mechanism() == MskAuth.Mechanism.IAM_LEGACY) {
      checkLegacy(s.auth.iamCredentials().orElseThrow());
    }
    if (s.auth.isIam()
        && s.auth.iamCredentials().orElseThrow().source()
            == MskAuth.IamCredentials.Source.ASSUME_ROLE) {
      CredentialsProviders.requireSts();
    }

    s.truststore = truststore;
    s.truststorePassword = truststorePassword;
    s.acks = acks == null ? Acks.ALL : acks;
    if (idempotence != null && idempotence && s.acks != Acks.ALL) {
      throw new MskConfigurationException(
          "idempotence",
          "idempotence(true) needs acks(Acks.ALL), but acks is "
              + s.acks
              + ": set acks(Acks.ALL), or idempotence(false)");
    }
    s.idempotence = idempotence == null ? s.acks == Acks.ALL : idempotence;
    s.compression = compression == null ? Compression.LZ4 : compression;
    s.flushPolicy = flushPolicy == null ? FlushPolicy.ASYNC : flushPolicy;
    s.linger =
        linger != null
            ? linger
            : s.flushPolicy == FlushPolicy.PER_SEND ? Duration.ZERO : DEFAULT_LINGER;
    s.batchSize = batchSize == null ? DEFAULT_BATCH_SIZE : batchSize;
    s.timeouts = timeouts == null ? Timeouts.defaults() : timeouts;
    if (s.timeouts.delivery().compareTo(s.linger.plus(s.timeouts.request())) < 0) {
      throw new MskConfigurationException(
          "timeouts.delivery",
          "timeouts.delivery ("
              + s.timeouts.delivery()
              + ") must be at least linger ("
              + s.linger
              + ") + timeouts.request ("
              + s.timeouts.request()
              + "), as Kafka requires: raise timeouts.delivery or lower timeouts.request");
    }
    s.retry = retry == null ? RetryPolicy.defaults() : retry;
    s.reconnectBackoff = reconnectBackoff == null ? Duration.ofSeconds(1) : reconnectBackoff;
    s.reconnectBackoffMax =
        reconnectBackoffMax == null ? Duration.ofSeconds(10) : reconnectBackoffMax;
    s.clientId =
        clientId != null ? clientId : "msk-producer-" + hostName() + "-" + PRODUCER_COUNT.incrementAndGet();
    for (Map.Entry<String, String> p : properties.entrySet()) {
      if (s.auth.isIam() && p.getKey().startsWith("ssl.")) {
        throw new MskConfigurationException(
            p.getKey(),
            "Kafka property "
                + p.getKey()
                + " is managed for IAM (TLS to MSK needs no client settings); use truststore(...)"
                + " for a non-MSK broker's certificate");
      }
    }
    s.extraProperties.putAll(properties);
    return s;
  }

  private static void checkLegacy(MskAuth.IamCredentials c) {
    try {
      Class.forName(
          "software.amazon.msk.auth.iam.IAMLoginModule",
          false,
          MskProducerBuilder.class.getClassLoader());
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

  private static Path checkReadable(String option, Path file) {
    Objects.requireNonNull(file, option);
    if (!Files.isReadable(file)) {
      throw new MskConfigurationException(
          option, option + " file " + file + " does not exist or cannot be read");
    }
    return file;
  }

  private static Optional<String> sdkDefaultRegion() {
    try {
      return Optional.of(DefaultAwsRegionProviderChain.builder().build().getRegion().id());
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
