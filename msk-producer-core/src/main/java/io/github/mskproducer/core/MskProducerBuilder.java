package io.github.mskproducer.core;

import io.github.mskproducer.core.internal.Listeners;
import io.github.mskproducer.core.internal.Version;
import io.github.mskproducer.core.internal.auth.TokenSource;
import io.github.mskproducer.core.internal.config.Settings;
import io.github.mskproducer.core.internal.config.SettingsResolver;
import io.github.mskproducer.core.internal.send.Errors;
import io.github.mskproducer.core.internal.kafka.KafkaClientFacts;
import io.github.mskproducer.core.internal.serde.Serializers;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * <p>About 500 lines, more than half of them Javadoc: one documented setter per option, each
 * writing into an {@link MskProducerConfig} (a raw Kafka property is checked by the internal
 * property policy as it is set); {@link #build()} resolves the defaults and cross-checks in the
 * internal settings resolver, and the Kafka producer's properties are made by the start, on a
 * thread of its own.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class MskProducerBuilder<K, V> {
  private static final Logger LOG = LoggerFactory.getLogger(MskProducer.class);

  private final Serializer<K> keySerializer;
  private final Serializer<V> valueSerializer;
  private MskProducerConfig.Builder config = MskProducerConfig.builder();
  private final List<MskProducerListener> listeners = new ArrayList<>();
  private final List<ProducerInstrumentation> instrumentations = new ArrayList<>();
  private Supplier<Optional<String>> defaultRegion;
  private Clock clock = Clock.systemUTC();

  MskProducerBuilder(Serializer<K> keySerializer, Serializer<V> valueSerializer) {
    this.keySerializer = keySerializer;
    this.valueSerializer = valueSerializer;
  }

  /**
   * Replaces every option with those of {@code config} (listeners and serializers stay): for a
   * configuration made elsewhere, e.g. by {@code LambdaProducer} or Spring Boot properties.
   * Setters called after this change it.
   *
   * @param config the options
   * @return this builder
   */
  public MskProducerBuilder<K, V> config(MskProducerConfig config) {
    this.config = Objects.requireNonNull(config, "config").toBuilder();
    return this;
  }

  /**
   * The options set so far, as an immutable configuration (not checked against each other
   * yet: {@link #build()} does that).
   *
   * @return the configuration
   */
  public MskProducerConfig config() {
    return config.build();
  }

  /**
   * The cluster's bootstrap brokers, {@code host:port[,host:port...]}. Required.
   *
   * @param bootstrapServers the brokers
   *
   * @return this builder
   * @see MskProducerConfig.Builder#bootstrapServers
   */
  public MskProducerBuilder<K, V> bootstrapServers(String bootstrapServers) {
    config.bootstrapServers(bootstrapServers);
    return this;
  }

  /**
   * The region IAM tokens are signed for. Default: from the MSK host names, else the AWS SDK's
   * default region chain.
   *
   * @param region e.g. {@code us-east-1}
   *
   * @return this builder
   * @see MskProducerConfig.Builder#region
   */
  public MskProducerBuilder<K, V> region(String region) {
    config.region(region);
    return this;
  }

  /**
   * How to authenticate. Default {@link MskAuth#iam()}.
   *
   * @param auth the authentication
   *
   * @return this builder
   * @see MskProducerConfig.Builder#auth
   */
  public MskProducerBuilder<K, V> auth(MskAuth auth) {
    config.auth(auth);
    return this;
  }

  /**
   * Trust the broker certificates in this PEM file (a local or self-managed broker).
   *
   * @param pemFile a PEM file of certificates
   *
   * @return this builder
   * @see MskProducerConfig.Builder#truststore
   */
  public MskProducerBuilder<K, V> truststore(Path pemFile) {
    config.truststore(pemFile);
    return this;
  }

  /**
   * Trust the broker certificates in this PKCS12 truststore.
   *
   * @param pkcs12File a PKCS12 truststore
   * @param password its password
   *
   * @return this builder
   * @see MskProducerConfig.Builder#truststore
   */
  public MskProducerBuilder<K, V> truststore(Path pkcs12File, String password) {
    config.truststore(pkcs12File, password);
    return this;
  }

  /**
   * Acknowledgements. Default {@link Acks#ALL}.
   *
   * @param acks the acknowledgements
   *
   * @return this builder
   * @see MskProducerConfig.Builder#acks
   */
  public MskProducerBuilder<K, V> acks(Acks acks) {
    config.acks(acks);
    return this;
  }

  /**
   * Idempotent writes. Default true with {@link Acks#ALL}.
   *
   * @param idempotence whether to write idempotently
   *
   * @return this builder
   * @see MskProducerConfig.Builder#idempotence
   */
  public MskProducerBuilder<K, V> idempotence(boolean idempotence) {
    config.idempotence(idempotence);
    return this;
  }

  /**
   * Batch compression. Default {@link Compression#LZ4}.
   *
   * @param compression the compression
   *
   * @return this builder
   * @see MskProducerConfig.Builder#compression
   */
  public MskProducerBuilder<K, V> compression(Compression compression) {
    config.compression(compression);
    return this;
  }

  /**
   * {@code linger.ms}. Default 10 ms, 0 with {@link FlushPolicy#PER_SEND}.
   *
   * @param linger zero or positive
   *
   * @return this builder
   * @see MskProducerConfig.Builder#linger
   */
  public MskProducerBuilder<K, V> linger(Duration linger) {
    config.linger(linger);
    return this;
  }

  /**
   * {@code batch.size}. Default 64 KiB.
   *
   * @param bytes 1 to 16 MiB
   *
   * @return this builder
   * @see MskProducerConfig.Builder#batchSize
   */
  public MskProducerBuilder<K, V> batchSize(int bytes) {
    config.batchSize(bytes);
    return this;
  }

  /**
   * The {@code client.id}. Default {@code msk-producer-<host name>-<n>}.
   *
   * @param clientId 1 to 255 of letters, digits and {@code ._-}
   *
   * @return this builder
   * @see MskProducerConfig.Builder#clientId
   */
  public MskProducerBuilder<K, V> clientId(String clientId) {
    config.clientId(clientId);
    return this;
  }

  /**
   * The time limits, replacing any set before. Default {@link Timeouts#defaults()}.
   *
   * @param timeouts the timeouts
   *
   * @return this builder
   * @see MskProducerConfig.Builder#timeouts
   */
  public MskProducerBuilder<K, V> timeouts(Timeouts timeouts) {
    config.timeouts(timeouts);
    return this;
  }

  /**
   * Changes some time limits, keeping the others, e.g. {@code timeouts(t ->
   * t.request(ofSeconds(10)))}.
   *
   * @param change sets the values to change
   *
   * @return this builder
   * @see MskProducerConfig.Builder#timeouts
   */
  public MskProducerBuilder<K, V> timeouts(Consumer<Timeouts.Builder> change) {
    config.timeouts(change);
    return this;
  }

  /**
   * Retries of sends that fail before reaching the buffer. Default {@link
   * RetryPolicy#defaults()}.
   *
   * @param retry the policy
   *
   * @return this builder
   * @see MskProducerConfig.Builder#retry
   */
  public MskProducerBuilder<K, V> retry(RetryPolicy retry) {
    config.retry(retry);
    return this;
  }

  /**
   * Changes the retry policy, keeping its other values (the policy set before, else the
   * defaults), e.g. {@code retry(r -> r.maxAttempts(5))}.
   *
   * @param change sets the values to change
   *
   * @return this builder
   * @see MskProducerConfig.Builder#retry
   */
  public MskProducerBuilder<K, V> retry(Consumer<RetryPolicy.Builder> change) {
    config.retry(change);
    return this;
  }

  /**
   * When {@code send} waits. Default {@link FlushPolicy#ASYNC}.
   *
   * @param flushPolicy the policy
   *
   * @return this builder
   * @see MskProducerConfig.Builder#flushPolicy
   */
  public MskProducerBuilder<K, V> flushPolicy(FlushPolicy flushPolicy) {
    config.flushPolicy(flushPolicy);
    return this;
  }

  /**
   * {@code reconnect.backoff.ms} and {@code reconnect.backoff.max.ms}. Default 1 s to 10 s.
   *
   * @param initial the first pause
   * @param max the largest pause, at least {@code initial}
   *
   * @return this builder
   * @see MskProducerConfig.Builder#reconnectBackoff
   */
  public MskProducerBuilder<K, V> reconnectBackoff(Duration initial, Duration max) {
    config.reconnectBackoff(initial, max);
    return this;
  }

  /**
   * Any Kafka producer property without an option of its own; managed and unknown ones are
   * refused, naming the option to use.
   *
   * @param key a Kafka producer property
   * @param value its value
   *
   * @return this builder
   * @see MskProducerConfig.Builder#property
   */
  public MskProducerBuilder<K, V> property(String key, String value) {
    config.property(key, value);
    return this;
  }

  /**
   * Applies the environment variables listed in the class description; options set after this
   * call override them. Call it first.
   *
   * @throws MskConfigurationException naming the variable, if one has a bad value
   *
   * @return this builder
   * @see MskProducerConfig.Builder#fromEnvironment
   */
  public MskProducerBuilder<K, V> fromEnvironment() {
    config.fromEnvironment();
    return this;
  }

  /**
   * Like {@link #fromEnvironment()}, from a map of variables, e.g. the testkit's {@code
   * LocalMskBroker.environment()}:
   *
   * <pre>{@code
   * MskProducer<String, String> producer = MskProducer.builder(String.class, String.class)
   *     .fromEnvironment(msk.environment())
   *     .build();
   * }</pre>
   *
   * @param environment variable names to values
   *
   * @return this builder
   * @see MskProducerConfig.Builder#fromEnvironment
   */
  public MskProducerBuilder<K, V> fromEnvironment(Map<String, String> environment) {
    config.fromEnvironment(environment);
    return this;
  }

  /**
   * Hears record, flush, token, retry, restart, failure, Kafka producer and close events. May be called more than once.
   * Default: no listener.
   *
   * @param listener the listener
   * @return this builder
   */
  public MskProducerBuilder<K, V> listener(MskProducerListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return this;
  }

  /**
   * Instruments every Kafka producer this producer runs on, e.g. with OpenTelemetry's tracing
   * ({@code msk-producer-opentelemetry}'s {@code MskProducerTracing}); see {@link
   * ProducerInstrumentation}. May be called more than once: applied in order. Default: none.
   *
   * @param instrumentation the instrumentation
   * @return this builder
   */
  public MskProducerBuilder<K, V> instrument(ProducerInstrumentation instrumentation) {
    instrumentations.add(Objects.requireNonNull(instrumentation, "instrumentation"));
    return this;
  }

  /**
   * The names of the environment variables {@link #fromEnvironment()} reads.
   *
   * @see MskProducerConfig#ENVIRONMENT_VARIABLES
   */
  public static final List<String> ENVIRONMENT_VARIABLES = MskProducerConfig.ENVIRONMENT_VARIABLES;

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

  /** Validates and resolves every option. Package-private for tests. */
  Settings resolve() {
    return resolver().resolve(config.build());
  }

  private SettingsResolver resolver() {
    return defaultRegion == null ? new SettingsResolver() : new SettingsResolver(defaultRegion);
  }

  // ------------------------------------------------------------------ build

  /**
   * Checks the configuration and starts the producer, without waiting for it: no network call
   * is made on the calling thread (the default region, for IAM brokers that are not MSK host
   * names, comes from {@code AWS_REGION}, {@code aws.region} or the profile file, never from
   * the instance metadata service), so build() returns in milliseconds whatever the network or
   * the credentials provider does.
   *
   * <p>The start runs on a thread of its own: the credentials and the first IAM token (STS,
   * IMDS, SSO...), the Kafka producer, and, with IAM and idempotence (the defaults), the first
   * authentication: an idempotent Kafka producer whose first authentication fails never sends
   * (KAFKA-20237), so if the broker refused it with MSK's "Too many connects" (many clients
   * starting together), a new one starts after the retry back-off, for up to the retry
   * policy's maxElapsed (default max block; at least 10 s), and listeners hear {@link
   * MskProducerListener#onRestarted}. A {@code send} made meanwhile waits for the start within
   * max block; {@link MskProducer#awaitReady(Duration)} waits for it explicitly and throws why
   * it failed (e.g. {@link MskAuthenticationException} without credentials, which every send
   * then reports too).
   *
   * @return the producer, starting
   * @throws MskConfigurationException naming the option(s), if the configuration is wrong
   */
  public MskProducer<K, V> build() {
    MskProducerConfig given = config.build();
    Settings s = resolver().resolve(given);
    // Checked where a producer is made, not in resolve(): the doctor and describe() still run.
    if (s.auth().mechanism() == MskAuth.Mechanism.SCRAM_SHA_512
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
    if (s.auth().mechanism() == MskAuth.Mechanism.PLAINTEXT) {
      LOG.warn(
          "msk-producer {} uses PLAINTEXT: no encryption, no authentication. For local"
              + " development only; MSK clusters should use auth(MskAuth.iam())",
          s.clientId());
    }
    AtomicReference<TokenSource> signer = new AtomicReference<>();
    Errors errors =
        new Errors(
            Errors.Context.of(
                s, () -> signer.get() == null ? null : signer.get().lastAccessKeyId()));
    Listeners ls = new Listeners(listeners);
    // The producer owns the serializers from here: closed once, when it closes.
    MskProducer<K, V> producer =
        new MskProducer<>(
            given,
            s,
            errors,
            listeners,
            instrumentations,
            () -> Serializers.closeOnce(keySerializer, valueSerializer));
    producer.start(
        new ProducerStarter<>(s, keySerializer, valueSerializer, ls, clock, errors, signer, instrumentations));
    // DEBUG: a Lambda builds one per recycle, and CloudWatch bills every line.
    LOG.debug("msk-producer {} {} starting: {}", Version.get(), s.clientId(), s.describe());
    return producer;
  }
}
