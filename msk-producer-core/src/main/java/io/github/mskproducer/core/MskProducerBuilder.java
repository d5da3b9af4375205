package io.github.mskproducer.core;

import io.github.mskproducer.core.internal.Listeners;
import io.github.mskproducer.core.internal.Version;
import io.github.mskproducer.core.internal.auth.CredentialsException;
import io.github.mskproducer.core.internal.auth.CredentialsProviders;
import io.github.mskproducer.core.internal.auth.IamTokenGenerator;
import io.github.mskproducer.core.internal.auth.TokenSource;
import io.github.mskproducer.core.internal.auth.TokenSources;
import io.github.mskproducer.core.internal.config.KafkaProperties;
import io.github.mskproducer.core.internal.config.Settings;
import io.github.mskproducer.core.internal.config.SettingsResolver;
import io.github.mskproducer.core.internal.send.Errors;
import io.github.mskproducer.core.internal.kafka.KafkaClientFacts;
import io.github.mskproducer.core.internal.send.FirstAuthentication;
import io.github.mskproducer.core.internal.serde.Serializers;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
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
 * @param <K> the key type
 * @param <V> the value type
 */
public final class MskProducerBuilder<K, V> {
  private static final Logger LOG = LoggerFactory.getLogger(MskProducer.class);

  private final Serializer<K> keySerializer;
  private final Serializer<V> valueSerializer;
  private MskProducerConfig.Builder config = MskProducerConfig.builder();
  private final List<MskProducerListener> listeners = new ArrayList<>();
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
   * Hears token, retry, restart, failure and close events. May be called more than once.
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
   * Checks the configuration and starts the producer. Kafka's producer connects at once; with
   * IAM and idempotence (the defaults) build() waits until it has its producer id (up to 5 s,
   * usually well under a second), because an idempotent Kafka producer whose authentication
   * fails before that never sends (KAFKA-20237): if the broker refused it with MSK's "Too many
   * connects" (many clients starting together), build() starts a new one
   * after the retry back-off, for up to the retry policy's maxElapsed (default max block; at
   * least 10 s), and tells listeners through {@link MskProducerListener#onRestarted}. Other authentication failures (wrong credentials) are left to the first send.
   *
   * @return the producer
   * @throws MskConfigurationException naming the option(s), if the configuration is wrong
   * @throws MskAuthenticationException if IAM credentials cannot be found
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
    Resources resources = new Resources();
    TokenSource source = null;
    String tokenSourceId = null;
    if (s.auth().mechanism() == MskAuth.Mechanism.IAM) {
      source = tokenSource(s, resources);
      String id = TokenSources.register(source);
      resources.add(() -> TokenSources.unregister(id));
      tokenSourceId = id;
    }
    TokenSource signer = source;
    Errors errors =
        new Errors(Errors.Context.of(s, () -> signer == null ? null : signer.lastAccessKeyId()));
    Producer<K, V> kafka = kafkaProducer(s, tokenSourceId, errors, resources);
    if (s.idempotence() && s.auth().mechanism() == MskAuth.Mechanism.IAM) {
      kafka = unstuck(kafka, s, tokenSourceId, errors, resources);
    }
    errors.connectionMetrics(kafka::metrics);
    // From here the producer owns the serializers: closed once, when it closes (a failed
    // build() leaves them open for the caller).
    resources.add(() -> Serializers.closeOnce(keySerializer, valueSerializer));
    MskProducer<K, V> producer =
        new MskProducer<>(
            kafka, given, s, KafkaProperties.connection(s, tokenSourceId), errors, listeners, resources);
    // DEBUG: a Lambda builds one per recycle, and CloudWatch bills every line.
    LOG.debug("msk-producer {} {} started: {}", Version.get(), s.clientId(), s.describe());
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
   * least {@link #STARTUP_RETRY_BUDGET}. Each replacement is reported to the listeners' onRestarted.
   */
  private Producer<K, V> unstuck(
      Producer<K, V> first, Settings s, String tokenSourceId, Errors errors, Resources resources) {
    Duration bound =
        s.timeouts().connectionSetup().compareTo(FIRST_AUTHENTICATION_WAIT) < 0
            ? s.timeouts().connectionSetup()
            : FIRST_AUTHENTICATION_WAIT;
    Duration budget = s.retry().maxElapsed().orElse(s.timeouts().maxBlock());
    if (budget.compareTo(STARTUP_RETRY_BUDGET) < 0) {
      budget = STARTUP_RETRY_BUDGET;
    }
    long start = System.nanoTime();
    Producer<K, V> kafka = first;
    double backoffMs = s.retry().initialBackoff().toMillis();
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
                  s.retry().maxBackoff().toMillis(),
                  backoffMs
                      * (1 + s.retry().jitter() * (2 * ThreadLocalRandom.current().nextDouble() - 1)));
      long elapsedMs = (System.nanoTime() - start) / 1_000_000;
      if (elapsedMs + wait > budget.toMillis()) {
        LOG.warn(
            "msk-producer {}: the first connection to {} still fails IAM authentication after {}"
                + " attempts in {} ms; giving up restarting (retry.maxElapsed): records sent"
                + " to this producer will fail at the delivery timeout",
            s.clientId(),
            s.bootstrap(),
            attempt,
            elapsedMs);
        return kafka;
      }
      MskAuthenticationException cause =
          new MskAuthenticationException(
              MskAuthenticationException.Reason.TOO_MANY_CONNECTS,
              "the producer's first connection to "
                  + s.bootstrap()
                  + " was refused IAM authentication before it had a producer id: Too many"
                  + " connects (many clients starting at once); an idempotent Kafka"
                  + " producer does not recover from this by itself (KAFKA-20237), so a new one"
                  + " starts in "
                  + wait
                  + " ms",
              null);
      LOG.warn("msk-producer {}: {}", s.clientId(), cause.getMessage());
      int failed = attempt;
      new Listeners(listeners).fire(l -> l.onRestarted(failed, Duration.ofMillis(wait), cause));
      kafka.close(Duration.ZERO);
      try {
        Thread.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        resources.run();
        throw errors.general(e, "interrupted while starting the Kafka producer");
      }
      kafka = kafkaProducer(s, tokenSourceId, errors, resources);
      backoffMs *= s.retry().multiplier();
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
    MskAuth.IamCredentials credentials = s.auth().iamCredentials().orElseThrow();
    CredentialsProviders.Made made = CredentialsProviders.create(credentials, s.region());
    resources.add(made::close);
    Listeners ls = new Listeners(listeners);
    TokenSource source =
        new TokenSource(
            made.provider(),
            credentials.toString(),
            s.region(),
            new IamTokenGenerator(clock, Version.userAgent()),
            (region, expiresAt) -> ls.fire(l -> l.onTokenGenerated(region, expiresAt)));
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
}
