package io.github.mskproducer.core;

import io.github.mskproducer.core.internal.config.MskHosts;
import io.github.mskproducer.core.internal.warm.WarmUp;

import io.github.mskproducer.core.internal.Listeners;
import io.github.mskproducer.core.internal.Version;
import io.github.mskproducer.core.internal.auth.CredentialsException;
import io.github.mskproducer.core.internal.auth.CredentialsProviders;
import io.github.mskproducer.core.internal.auth.IamTokenGenerator;
import io.github.mskproducer.core.internal.auth.TokenSource;
import io.github.mskproducer.core.internal.auth.TokenSources;
import io.github.mskproducer.core.internal.config.KafkaProperties;
import io.github.mskproducer.core.internal.config.Settings;
import io.github.mskproducer.core.internal.send.Backoff;
import io.github.mskproducer.core.internal.send.Errors;
import io.github.mskproducer.core.internal.kafka.KafkaClientFacts;
import io.github.mskproducer.core.internal.send.FirstAuthentication;
import io.github.mskproducer.core.internal.serde.Serializers;
import io.github.resilience4j.core.IntervalFunction;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything that starting a producer may wait for, off the caller's thread ({@link
 * MskProducerBuilder#build()} returns at once; {@link MskProducer#awaitReady} waits for this):
 * the credentials and the first IAM token (which may call STS or IMDS), the Kafka producer
 * (which resolves the bootstrap names), and, for an idempotent IAM producer, its first
 * authentication, with the restarts that protect against KAFKA-20237.
 */
final class ProducerStarter<K, V> {
  private static final Logger LOG = LoggerFactory.getLogger(MskProducer.class);

  /** The longest wait to learn why a first authentication failed. */
  private static final Duration PROBE_WAIT = Duration.ofSeconds(2);

  /** The least time a producer whose first authentication failed is restarted for. */
  static final Duration STARTUP_RETRY_BUDGET = Duration.ofSeconds(10);

  /** The longest wait for the first authentication of an idempotent producer. */
  static final Duration FIRST_AUTHENTICATION_WAIT = Duration.ofSeconds(5);

  /** What a started producer is made of. */
  /**
   * What the start made.
   *
   * @param authenticationFailure why the first connection failed authentication (TLS, the
   *     credentials, the policy), if it did and a new producer would fail the same; else null
   * @param stillStuck whether that failure still holds: the idempotent producer has no producer
   *     id yet (it never will: KAFKA-20237), or, where that cannot be seen, no connection has
   *     authenticated since
   */
  record Started<K, V>(
      Producer<K, V> kafka,
      Map<String, Object> connectionProperties,
      Runnable release,
      RuntimeException authenticationFailure,
      java.util.function.BooleanSupplier stillStuck) {
    Started(Producer<K, V> kafka, Map<String, Object> connectionProperties, Runnable release) {
      this(kafka, connectionProperties, release, null, () -> false);
    }
  }

  private final Settings s;
  private final Serializer<K> keySerializer;
  private final Serializer<V> valueSerializer;
  private final Listeners listeners;
  private final Clock clock;
  private final Errors errors;
  private final AtomicReference<TokenSource> signer;
  private final List<ProducerInstrumentation> instrumentations;
  private volatile String phase = "not started";
  // Topics asked for while the start ran (prefetchMetadata's, e.g. LambdaProducer's prewarm
  // topics, and those of sends waiting for the start of an idempotent IAM producer), and the
  // Kafka producer once constructed: their metadata is fetched beside its first authentication,
  // not after it. At most about MAX_WARM_TOPICS (a check, then an add: concurrent askers may
  // pass it by one each).
  private final java.util.Set<String> warmTopics = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private volatile Producer<K, V> constructed;
  // What an early metadata fetch on the constructed producer threw: Kafka hands a failed first
  // authentication to the first metadata wait, which may be that fetch rather than the probe.
  private volatile RuntimeException earlyFailure;
  // Why the first authentication failed, when not for the connection rate (kept by unstuck).
  private volatile RuntimeException authenticationFailure;
  private static final int MAX_WARM_TOPICS = 16;

  ProducerStarter(
      Settings s,
      Serializer<K> keySerializer,
      Serializer<V> valueSerializer,
      Listeners listeners,
      Clock clock,
      Errors errors,
      AtomicReference<TokenSource> signer,
      List<ProducerInstrumentation> instrumentations) {
    this.s = s;
    this.keySerializer = Serializers.kept(keySerializer);
    this.valueSerializer = Serializers.kept(valueSerializer);
    this.listeners = listeners;
    this.clock = clock;
    this.errors = errors;
    this.signer = signer;
    this.instrumentations = List.copyOf(instrumentations);
  }

  /**
   * Asks for a topic's metadata as soon as the Kafka producer exists, beside its first
   * authentication (which the start waits for), so that a send waiting for the start finds it.
   * At most {@value #MAX_WARM_TOPICS} topics; failures are left to the send, which asks again.
   */
  /**
   * Whether the start waits for the first authentication (and reads what an early metadata
   * fetch failed with): an idempotent IAM producer's, for KAFKA-20237.
   */
  static boolean awaitsFirstAuthentication(Settings s) {
    return s.idempotence() && s.auth().mechanism() == MskAuth.Mechanism.IAM;
  }

  void warmTopic(String topic) {
    if (warmTopics.size() >= MAX_WARM_TOPICS || !warmTopics.add(topic)) {
      return;
    }
    Producer<K, V> kafka = constructed;
    if (kafka != null) {
      fetchMetadata(kafka, topic);
    }
  }

  private void fetchMetadata(Producer<K, V> kafka, String topic) {
    metadataInBackground(
        kafka,
        topic,
        s.clientId(),
        e -> {
          // Only an authentication failure says why a first authentication failed (Kafka
          // hands it to one metadata wait); a timeout or a close says nothing.
          if (constructed == kafka
              && Errors.unwrap(e) instanceof org.apache.kafka.common.errors.AuthenticationException) {
            earlyFailure = e;
          }
        },
        null);
  }

  /**
   * Kafka's {@code partitionsFor(topic)} on a daemon thread of its own: the metadata arrives in
   * Kafka's cache for a later send; a failure goes to {@code failed} and to the DEBUG log.
   *
   * @param failed hears the failure, or null
   * @param after runs at the end, whatever happened, or null
   */
  static void metadataInBackground(
      Producer<?, ?> kafka,
      String topic,
      String clientId,
      java.util.function.Consumer<RuntimeException> failed,
      Runnable after) {
    Thread t =
        new Thread(
            () -> {
              try {
                kafka.partitionsFor(topic);
              } catch (RuntimeException e) {
                if (failed != null) {
                  failed.accept(e);
                }
                LOG.debug("msk-producer {}: metadata of {} fetched ahead: {}", clientId, topic, e.toString());
              } finally {
                if (after != null) {
                  after.run();
                }
              }
            },
            "msk-producer-metadata-ahead-" + clientId);
    t.setDaemon(true);
    t.start();
  }

  /** What the start is doing now, for a message when something waited for it too long. */
  String phase() {
    TokenSource source = signer.get();
    if (source != null && source.firstTokenPending() && !phase.startsWith("signing")) {
      return "signing the first IAM token (credentials from "
          + s.auth().iamCredentials().orElseThrow()
          + ") while "
          + phase;
    }
    return phase;
  }

  /**
   * Starts the Kafka producer. Releases whatever it made if it fails or is cancelled.
   *
   * @param cancelled true once the producer was closed: stop, release, throw
   * @throws MskProducerException why it could not start
   */
  Started<K, V> start(BooleanSupplier cancelled) {
    Resources resources = new Resources();
    try {
      String tokenSourceId = null;
      TokenSource source = null;
      Runnable firstToken = null;
      if (s.auth().mechanism() == MskAuth.Mechanism.IAM) {
        phase = "signing the first IAM token (credentials from " + s.auth().iamCredentials().orElseThrow() + ")";
        source = tokenSource(resources);
        if (WarmUp.enabled("token")) {
          firstToken = source.prefetch(); // signed beside Kafka's constructor, taken by its login
        } else {
          firstToken(source);
        }
        signer.set(source);
        String id = TokenSources.register(source);
        resources.add(() -> TokenSources.unregister(id));
        tokenSourceId = id;
      }
      checkCancelled(cancelled);
      // A second thread does what the start will need next while this one builds Kafka's
      // producer: the first token, then the TLS engine, the MBean server, the classes.
      MskHosts.Address first = s.brokers().isEmpty() ? null : s.brokers().get(0);
      boolean tls = s.auth().mechanism() != MskAuth.Mechanism.PLAINTEXT;
      WarmUp.start(
          "msk-producer-warm-up-" + s.clientId(),
          firstToken,
          tls && first != null ? first.host() : null,
          first == null ? 0 : first.port());
      phase = "creating the Kafka producer";
      Producer<K, V> kafka;
      try {
        kafka = kafkaProducer(tokenSourceId);
        constructed = kafka;
        for (String topic : warmTopics) {
          fetchMetadata(kafka, topic);
        }
        if (source != null) {
          source.dropPrefetched(); // a login that did not take it: never hand it out later
        }
      } catch (MskProducerException e) {
        // Kafka's login failed on the first token: say why, not "Failed to construct".
        CredentialsException why = source == null ? null : source.firstFailure();
        if (why != null) {
          throw authenticationFailure(why);
        }
        throw e;
      }
      if (awaitsFirstAuthentication(s)) {
        kafka = unstuck(kafka, tokenSourceId, cancelled);
      }
      Producer<K, V> raw = kafka;
      Producer<K, V> started = wrapped(kafka);
      errors.connectionMetrics(started::metrics);
      phase = "started";
      return new Started<>(
          started,
          KafkaProperties.connection(s, tokenSourceId),
          resources,
          authenticationFailure,
          () ->
              KafkaClientFacts.hasProducerId(raw)
                  .map(has -> !has)
                  .orElseGet(() -> KafkaClientFacts.connections(raw.metrics()).authenticated == 0));
    } catch (RuntimeException | Error e) {
      resources.run();
      throw e;
    }
  }

  /**
   * The started Kafka producer as the instrumentations (tracing, for one) wrap it; wrapped
   * after the start-up checks, which read the Kafka producer itself.
   */
  private Producer<K, V> wrapped(Producer<K, V> kafka) {
    Producer<K, V> p = kafka;
    for (ProducerInstrumentation i : instrumentations) {
      Producer<K, V> next;
      try {
        next = i.wrap(p);
      } catch (RuntimeException e) {
        kafka.close(Duration.ZERO);
        throw errors.general(e, "the instrumentation " + i + " failed to wrap the Kafka producer");
      }
      if (next == null) {
        kafka.close(Duration.ZERO);
        throw new MskConfigurationException(
            "instrument",
            "the instrumentation "
                + i
                + " returned null from wrap(...): return the producer it was given, or a wrapper"
                + " of it");
      }
      p = next;
    }
    return p;
  }

  private void checkCancelled(BooleanSupplier cancelled) {
    if (cancelled.getAsBoolean() || Thread.currentThread().isInterrupted()) {
      throw new MskProducerClosedException(
          "the producer " + s.clientId() + " was closed while it started");
    }
  }

  /**
   * The producer's token source. Its first token is signed beside Kafka's constructor ({@link
   * TokenSource#prefetch()}); if that fails, the start says why, clearly, where Kafka's login
   * would only say "Failed to construct kafka producer".
   */
  private TokenSource tokenSource(Resources resources) {
    MskAuth.IamCredentials credentials = s.auth().iamCredentials().orElseThrow();
    CredentialsProviders.Made made = CredentialsProviders.create(credentials, s.region());
    resources.add(made::close);
    TokenSource source =
        new TokenSource(
            made.provider(),
            credentials.toString(),
            s.region(),
            new IamTokenGenerator(clock, Version.userAgent()),
            new TokenSource.Events() {
              @Override
              public void generated(String region, java.time.Instant expiresAt) {
                listeners.fire(l -> l.onTokenGenerated(region, expiresAt));
              }

              @Override
              public void failed(CredentialsException e) {
                MskAuthenticationException cause = authenticationFailure(e);
                listeners.fire(l -> l.onTokenFailed(cause));
              }
            });
    return source;
  }

  /** The first token, signed now: without credentials this fails here, clearly. */
  private static void firstToken(TokenSource source) {
    try {
      source.newToken();
    } catch (CredentialsException e) {
      throw authenticationFailure(e);
    }
  }

  private static MskAuthenticationException authenticationFailure(CredentialsException e) {
    return new MskAuthenticationException(
        e.kind() == CredentialsException.Kind.EXPIRED
            ? MskAuthenticationException.Reason.CREDENTIALS_EXPIRED
            : MskAuthenticationException.Reason.NO_CREDENTIALS,
        e.getMessage(),
        e);
  }

  private Producer<K, V> kafkaProducer(String tokenSourceId) {
    try {
      // Kafka closes what it is given; the user's serializers outlive a restarted producer.
      return new KafkaProducer<>(
          KafkaProperties.create(s, tokenSourceId), keySerializer, valueSerializer);
    } catch (RuntimeException e) {
      MskConfigurationException unresolved = unresolvedBootstrap(e);
      throw unresolved != null ? unresolved : errors.general(e, "the Kafka producer could not be created");
    }
  }

  /**
   * If no bootstrap host name resolves (Kafka's constructor then fails with only "Failed to
   * construct kafka producer", its log naming each host), the failure naming them; else null.
   */
  private MskConfigurationException unresolvedBootstrap(RuntimeException failure) {
    if (!io.github.mskproducer.core.internal.Causes.find(failure, org.apache.kafka.common.config.ConfigException.class).isPresent()) {
      return null; // Kafka refuses bootstrap servers that do not resolve as a configuration error
    }
    java.util.List<String> unresolved = new java.util.ArrayList<>();
    java.util.List<MskHosts.Address> addresses;
    try {
      addresses = MskHosts.parse(s.bootstrap());
    } catch (RuntimeException e) {
      return null;
    }
    for (MskHosts.Address a : addresses) {
      try {
        java.net.InetAddress.getAllByName(a.host());
      } catch (java.net.UnknownHostException e) {
        unresolved.add(a.host());
      }
    }
    if (unresolved.isEmpty() || unresolved.size() < addresses.size()) {
      return null;
    }
    return new MskConfigurationException(
        "bootstrapServers",
        "none of the bootstrap servers resolves to an address from here: "
            + String.join(", ", unresolved)
            + " (UnknownHostException). Check the host names (MSK's are listed by `aws kafka"
            + " get-bootstrap-brokers`) and that this machine's DNS resolves them: MSK's names"
            + " resolve to private addresses inside the cluster's VPC, so run in that VPC (or a"
            + " peered one with DNS resolution), and for a Lambda function attach it to the VPC",
        failure);
  }

  /**
   * An idempotent Kafka producer whose first connection fails authentication never sends
   * (see {@link FirstAuthentication}): on MSK this happens when many clients start at once and
   * the broker answers "Too many connects". Waits for the first authentication (at most
   * {@link #FIRST_AUTHENTICATION_WAIT} or the connection set-up timeout); if it failed, closes
   * that producer, which has sent nothing, and starts a new one after the retry policy's
   * back-off (resilience4j's interval function, as for sends), for as long as the retry
   * policy's maxElapsed allows (default max block), and at least {@link #STARTUP_RETRY_BUDGET}.
   * Each replacement is reported to the listeners' onRestarted.
   */
  private Producer<K, V> unstuck(Producer<K, V> first, String tokenSourceId, BooleanSupplier cancelled) {
    Duration bound =
        s.timeouts().connectionSetup().compareTo(FIRST_AUTHENTICATION_WAIT) < 0
            ? s.timeouts().connectionSetup()
            : FIRST_AUTHENTICATION_WAIT;
    Duration budget = s.retry().maxElapsed().orElse(s.timeouts().maxBlock());
    if (budget.compareTo(STARTUP_RETRY_BUDGET) < 0) {
      budget = STARTUP_RETRY_BUDGET;
    }
    IntervalFunction backoff = Backoff.of(s.retry());
    long start = System.nanoTime();
    Producer<K, V> kafka = first;
    try {
      for (int attempt = 1; ; attempt++) {
        phase = "waiting for the first IAM authentication (attempt " + attempt + ")";
        FirstAuthentication.Outcome outcome = FirstAuthentication.await(kafka, bound);
        checkCancelled(cancelled);
        if (outcome != FirstAuthentication.Outcome.FAILED) {
          return kafka;
        }
        RuntimeException failure = earlyFailure;
        if (failure == null) {
          failure = FirstAuthentication.storedFailure(kafka, PROBE_WAIT);
          if (earlyFailure != null) {
            failure = earlyFailure; // it took the failure first
          }
        }
        boolean rate = failure == null || FirstAuthentication.refusedForRate(failure);
        checkCancelled(cancelled);
        if (!rate) {
          // Wrong credentials, say, or an untrusted certificate: a new producer fails the same.
          // Sends report it; awaitReady throws it while no connection has authenticated.
          authenticationFailure = failure;
          return kafka;
        }
        long wait = backoff.apply(attempt);
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
        listeners.fire(l -> l.onRestarted(failed, Duration.ofMillis(wait), cause));
        Producer<K, V> stuck = kafka;
        kafka = null;
        constructed = null; // its early fetches' failures (closed, now) are not the next one's
        closeQuietly(stuck);
        phase = "waiting " + wait + " ms to restart the Kafka producer (attempt " + attempt + ")";
        try {
          Thread.sleep(wait);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        checkCancelled(cancelled);
        earlyFailure = null;
        kafka = kafkaProducer(tokenSourceId);
        constructed = kafka;
        for (String topic : warmTopics) {
          fetchMetadata(kafka, topic);
        }
      }
    } catch (RuntimeException | Error e) {
      if (kafka != null) {
        closeQuietly(kafka);
      }
      throw e;
    }
  }

  /** Closes at once; an interrupt (a close() of the producer) must not make it throw. */
  private static void closeQuietly(Producer<?, ?> kafka) {
    boolean interrupted = Thread.interrupted();
    try {
      kafka.close(Duration.ZERO);
    } catch (RuntimeException e) {
      LOG.debug("closing a Kafka producer that did not start: {}", e.toString());
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** What a producer made and must release when it closes, in reverse order. */
  static final class Resources implements Runnable {
    private final List<Runnable> releases = new ArrayList<>();

    synchronized void add(Runnable release) {
      releases.add(release);
    }

    @Override
    public synchronized void run() {
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
