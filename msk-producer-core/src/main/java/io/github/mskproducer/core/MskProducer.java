package io.github.mskproducer.core;

import io.github.mskproducer.core.internal.Listeners;
import io.github.mskproducer.core.internal.config.KafkaProperties;
import io.github.mskproducer.core.internal.config.Settings;
import io.github.mskproducer.core.internal.send.KafkaFlush;
import io.github.mskproducer.core.internal.send.Delivery;
import io.github.mskproducer.core.internal.send.DeliveryTracker;
import io.github.mskproducer.core.internal.send.Errors;
import io.github.mskproducer.core.internal.serde.Serializers;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.ArrayList;
import java.util.function.UnaryOperator;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka producer for Amazon MSK, built by {@link MskProducerBuilder}: IAM authentication,
 * TLS, timeouts and retries set up and checked once, and a delivery outcome that is never
 * ambiguous.
 *
 * <pre>{@code
 * try (MskProducer<String, String> producer = MskProducer.builder(String.class, String.class)
 *         .bootstrapServers("b-1.demo.abc123.c2.kafka.us-east-1.amazonaws.com:9098")
 *         .build()) {
 *   producer.send("orders", orderId, json);            // asynchronous
 *   FlushResult<String, String> r = producer.flush(Duration.ofSeconds(10));
 *   if (!r.isComplete()) { ... r.failed(), r.pending() ... }
 * }
 * }</pre>
 *
 * <p><b>Every record accepted by {@code send} ends in exactly one outcome</b>: its future
 * completes with the broker's acknowledgement or with an {@link MskProducerException}; a
 * {@link #flush(Duration)} reports it as acknowledged, failed (with the cause) or, if its
 * deadline comes first, pending. Nothing is dropped unseen, also not when the producer is
 * closed with records in flight (they fail with a delivery exception).
 *
 * <p><b>Share one producer</b> across threads and for the life of the application (in Lambda:
 * across invocations): creating one per request costs a TLS and IAM handshake per broker and,
 * on MSK, runs into the per-broker limit of new IAM connections. All methods are thread-safe.
 *
 * <p><b>Close it</b> when done: {@link #close()} waits up to the delivery timeout for records
 * in flight; {@link #close(Duration)} bounds the wait. Credentials providers you passed in are
 * not closed.
 *
 * <p>This file is long (some 870 lines, 310 of them Javadoc) because it is the producer's whole
 * public surface, each method documented with its outcomes and the thread it runs on: the send
 * variants, flush, close, readiness and failure, listeners. What it does lives behind it, one
 * job per class: the start ({@code ProducerStarter}), the Kafka producer of the moment ({@code
 * EngineSlot}), a record's attempts and retries ({@code internal.send.SendAttempts}), its
 * tracking until its outcome ({@code DeliveryTracker}), the flush's deadline and the errors'
 * wording ({@code internal.send}).
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class MskProducer<K, V> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MskProducer.class);

  private final MskProducerConfig config;
  private final Settings settings;
  private final Errors errors;
  private final Listeners listeners;
  /** Whether any listener hears per-record events: without one, a send pays nothing for them. */
  private final boolean heard;
  /** Captures the caller's context for sends that run on other threads; null if none. */
  private final Supplier<UnaryOperator<Runnable>> capture;
  private final Runnable closeSerializers;
  private final DeliveryTracker<K, V> tracker = new DeliveryTracker<>();
  private final Delivery.Sink<K, V> deliveries;
  private final ScheduledExecutorService retryScheduler;
  /** Kafka's flush within a flush's deadline. */
  private final KafkaFlush kafkaFlush;
  /** Completes when the start finished: the Kafka side, or why it could not start. */
  private final EngineSlot<K, V> engine;
  private final Object closeLock = new Object();
  private volatile boolean closed;
  // Whether the start waits for the first authentication (an idempotent IAM producer).
  private final boolean startAwaitsAuthentication;

  /** A producer that is not started yet: {@link #start} starts it. */
  MskProducer(
      MskProducerConfig config,
      Settings settings,
      Errors errors,
      List<MskProducerListener> listeners,
      List<ProducerInstrumentation> instrumentations,
      Runnable closeSerializers) {
    this.config = config;
    this.capture = capture(instrumentations);
    this.settings = settings;
    this.errors = errors;
    this.listeners = new Listeners(listeners);
    this.heard = !listeners.isEmpty();
    this.startAwaitsAuthentication = ProducerStarter.awaitsFirstAuthentication(settings);
    this.closeSerializers = closeSerializers;
    this.retryScheduler =
        Executors.newSingleThreadScheduledExecutor(daemon("msk-producer-retry-" + settings.clientId()));
    this.kafkaFlush = new KafkaFlush(settings.clientId());
    this.deliveries = new Delivery.Sink<>(settings.clientId(), tracker, errors, this.listeners);
    this.engine = new EngineSlot<>(settings, errors, this::newEngine);
  }

  /** For tests: a producer started on this Kafka producer. */
  MskProducer(
      Producer<K, V> kafka,
      MskProducerConfig config,
      Settings settings,
      Map<String, Object> connectionProperties,
      Errors errors,
      List<MskProducerListener> listeners,
      Runnable release) {
    this(config, settings, errors, listeners, List.of(), () -> {});
    started(kafka, connectionProperties, release);
  }

  /** For tests: the start of a producer made not started finished, on this Kafka producer. */
  void started(Producer<K, V> kafka, Map<String, Object> connectionProperties, Runnable release) {
    engine.set(new ProducerStarter.Started<>(kafka, connectionProperties, release));
  }

  private KafkaEngine<K, V> newEngine(ProducerStarter.Started<K, V> started) {
    Producer<K, V> kafka = started.kafka();
    KafkaProducerHandle handle = new Handle(settings.clientId(), kafka);
    Runnable release =
        () -> {
          try {
            started.release().run();
          } finally {
            notifyListeners(l -> l.onKafkaProducerClosed(handle));
          }
        };
    KafkaEngine<K, V> e =
        new KafkaEngine<>(
            kafka,
            started.connectionProperties(),
            release,
            settings,
            retryScheduler,
            (record, attempt, wait, cause) -> {
              MskProducerException x = errors.forRecord(cause, record, true);
              LOG.debug(
                  "retrying a send in {} ms (attempt {} failed): {}",
                  wait.toMillis(),
                  attempt,
                  x.getMessage());
              notifyListeners(l -> l.onRetry(record.topic(), attempt, wait, x));
            },
            capture,
            started.authenticationFailure(),
            started.stillStuck());
    notifyListeners(l -> l.onKafkaProducerStarted(handle));
    return e;
  }

  /** The instrumentations' context captures as one, or null if none. */
  private static Supplier<UnaryOperator<Runnable>> capture(List<ProducerInstrumentation> is) {
    if (is.isEmpty()) {
      return null;
    }
    List<ProducerInstrumentation> all = List.copyOf(is);
    if (all.size() == 1) {
      return all.get(0)::captureContext;
    }
    return () -> {
      List<UnaryOperator<Runnable>> captured = new ArrayList<>(all.size());
      for (ProducerInstrumentation i : all) {
        captured.add(i.captureContext());
      }
      return task -> {
        Runnable r = task;
        for (UnaryOperator<Runnable> c : captured) {
          r = c.apply(r);
        }
        return r;
      };
    };
  }

  /** What listeners see of a Kafka producer: its client id and metrics. */
  private static final class Handle implements KafkaProducerHandle {
    private final String clientId;
    private final Producer<?, ?> kafka;

    Handle(String clientId, Producer<?, ?> kafka) {
      this.clientId = clientId;
      this.kafka = kafka;
    }

    @Override
    public String clientId() {
      return clientId;
    }

    @Override
    public Map<MetricName, ? extends Metric> metrics() {
      return kafka.metrics();
    }

    @Override
    public String toString() {
      return "KafkaProducerHandle{clientId=" + clientId + "}";
    }
  }

  /**
   * Starts the producer on a thread of its own, so that {@link MskProducerBuilder#build()}
   * returns at once.
   */
  void start(ProducerStarter<K, V> starter) {
    engine.start(starter);
  }


  /**
   * Waits until the producer has started (credentials, first token, Kafka producer, and for an
   * idempotent IAM producer its first authentication: see {@link MskProducerBuilder#build()}),
   * for at most {@code timeout}. Sends do not need this (each waits for the start within max
   * block); it is for those who want to connect eagerly, e.g. in a Lambda's init phase, or to
   * fail a service's start-up on bad credentials.
   *
   * @param timeout the longest wait
   * @return true if started, false if still starting when the time was up
   * @throws MskProducerException why the producer could not start (e.g. {@link
   *     MskAuthenticationException} without credentials); for an idempotent IAM producer (the
   *     default), also an {@link MskAuthenticationException} if its first connection failed
   *     authentication for a reason a new producer would meet too (an untrusted broker
   *     certificate, credentials the broker refuses, a policy without {@code
   *     kafka-cluster:Connect}) and it has no producer id yet: an idempotent Kafka producer in
   *     that state never gets one (KAFKA-20237), so fix the cause and build a new producer
   *     (this one stays open, and its sends fail); {@link
   *     MskProducerClosedException} if it was closed
   */
  public boolean awaitReady(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (closed) {
      throw closedException("it cannot become ready");
    }
    if (!engine.await(Duration.ofNanos(nanos(timeout)))) {
      return false;
    }
    KafkaEngine<K, V> e = engine.now();
    if (e != null) {
      e.checkAuthenticated(errors);
    }
    return true;
  }

  /**
   * Whether the producer has started and can send without waiting for its start.
   *
   * @return true once started
   */
  public boolean isReady() {
    return !closed && engine.isReady();
  }

  /**
   * Why this producer cannot send any more, if it cannot; never waits. For a health check, or
   * to decide to build a new producer: the failure is the one {@link #awaitReady(Duration)}
   * would throw.
   *
   * @return its start's failure (e.g. {@link MskAuthenticationException} without credentials,
   *     or for an idempotent IAM producer a first authentication that failed for good: see
   *     {@link #awaitReady(Duration)}), or {@link MskProducerClosedException} once closed;
   *     empty while it starts and once it has started
   */
  public Optional<MskProducerException> failure() {
    if (closed) {
      return Optional.of(closedException("it cannot send"));
    }
    MskProducerException startFailure = engine.startFailure();
    if (startFailure != null) {
      return Optional.of(startFailure);
    }
    KafkaEngine<K, V> e = engine.now();
    if (e != null) {
      try {
        e.checkAuthenticated(errors);
      } catch (MskProducerException authentication) {
        return Optional.of(authentication);
      }
    }
    return Optional.empty();
  }

  private MskProducerClosedException closedException(String what) {
    return new MskProducerClosedException(
        "the producer " + settings.clientId() + " is closed: " + what + "; build a new one");
  }

  /**
   * A builder for a producer of these key and value types, with Kafka's serializer for each:
   * {@code String}, {@code byte[]}, {@code Integer}, {@code Long}, {@code Short}, {@code
   * Float}, {@code Double}, {@code UUID}, {@code ByteBuffer}, {@code Bytes} or {@code Void}.
   * For other types, use {@link #builder(Serializer, Serializer)}.
   *
   * @param keyType the key class
   * @param valueType the value class
   * @param <K> the key type
   * @param <V> the value type
   * @return a new builder
   * @throws MskConfigurationException if Kafka has no serializer for a type
   */
  public static <K, V> MskProducerBuilder<K, V> builder(Class<K> keyType, Class<V> valueType) {
    return new MskProducerBuilder<>(
        Serializers.forType("keyType", keyType),
        Serializers.forType("valueType", valueType));
  }

  /**
   * A builder for a producer with these serializers (e.g. {@link JsonSerializer}).
   *
   * <p>The producer that {@link MskProducerBuilder#build()} returns owns them: it closes each
   * once, when it closes (if key and value serializer are one object, once in all). The Kafka
   * producers it makes and replaces meanwhile (a start-up restart) use them without closing
   * them, so a serializer with state (a schema registry client, a cache) stays usable for the
   * producer's whole life. Kafka does not call {@code configure} on serializers given as
   * objects; configure them before. If {@code build()} fails, they stay open and yours. Build
   * one producer per pair of serializers. A serializer that listens for the cluster id ({@code
   * ClusterResourceListener}) still hears it; one that registers plugin metrics ({@code
   * Monitorable}, Kafka 4.1+) is not handed Kafka's {@code PluginMetrics}, which would belong to
   * one Kafka producer of the several it outlives: register its metrics yourself.
   *
   * @param keySerializer serializes keys
   * @param valueSerializer serializes values
   * @param <K> the key type
   * @param <V> the value type
   * @return a new builder
   */
  public static <K, V> MskProducerBuilder<K, V> builder(
      Serializer<K> keySerializer, Serializer<V> valueSerializer) {
    return new MskProducerBuilder<>(
        Objects.requireNonNull(keySerializer, "keySerializer"),
        Objects.requireNonNull(valueSerializer, "valueSerializer"));
  }

  // ------------------------------------------------------------------ sending

  /**
   * Sends a value without key (Kafka spreads such records over partitions).
   *
   * @param topic the topic
   * @param value the value
   * @return completes with the acknowledgement, or with an {@link MskProducerException}
   */
  public CompletableFuture<RecordMetadata> send(String topic, V value) {
    return send(new ProducerRecord<>(topic, value));
  }

  /**
   * Sends a keyed value (same key, same partition, in order).
   *
   * @param topic the topic
   * @param key the key
   * @param value the value
   * @return completes with the acknowledgement, or with an {@link MskProducerException}
   */
  public CompletableFuture<RecordMetadata> send(String topic, K key, V value) {
    return send(new ProducerRecord<>(topic, key, value));
  }

  /**
   * Sends a value with headers, to a partition if one is given.
   *
   * @param topic the topic
   * @param partition the partition, or null to let the key decide
   * @param key the key, or null
   * @param value the value
   * @param headers the headers, or null
   * @return completes with the acknowledgement, or with an {@link MskProducerException}
   */
  public CompletableFuture<RecordMetadata> send(
      String topic, Integer partition, K key, V value, Iterable<Header> headers) {
    return send(new ProducerRecord<>(topic, partition, key, value, headers));
  }

  /**
   * Sends a record. Returns once Kafka has accepted it into its buffer (waiting up to {@link
   * Timeouts#maxBlock()} for topic metadata or buffer space), or, with {@link
   * FlushPolicy#PER_SEND}, once it is acknowledged or failed. While the producer starts (see
   * {@link MskProducerBuilder#build()}), a send first waits for the start, up to max block
   * too: a send made then may block up to twice max block in all; {@link
   * #awaitReady(Duration)} first avoids that. A failure before the buffer with
   * a passing cause is retried as {@link RetryPolicy} says; after that, Kafka retries within
   * {@link Timeouts#delivery()}.
   *
   * @param record the record
   * @return completes with the acknowledgement, or with an {@link MskProducerException}: an
   *     {@link MskAuthenticationException}, {@link MskAuthorizationException} or {@link
   *     MskDeliveryException}
   */
  public CompletableFuture<RecordMetadata> send(ProducerRecord<K, V> record) {
    Objects.requireNonNull(record, "record");
    CompletableFuture<RecordMetadata> outcome = new CompletableFuture<>();
    Delivery<K, V> delivery = deliveries.forFuture(record, outcome);
    dispatch(delivery);
    if (settings.flushPolicy() == FlushPolicy.PER_SEND) {
      awaitQuietly(outcome, perSendWait());
    }
    return outcome;
  }

  /**
   * Sends a record and calls {@code callback} with its outcome, without a future: the cheapest
   * way to send many small records, as Kafka's own {@code send(record, callback)}. Everything
   * else is as {@link #send(ProducerRecord)}: the record is retried as {@link RetryPolicy}
   * says, counted in {@link #flush(Duration)}'s report, failed at {@link #close()} if it has
   * no outcome by then, and heard by the listeners.
   *
   * <p>The callback runs exactly once per record: on Kafka's I/O thread for most records
   * (keep it short, as Kafka's callbacks: no blocking, no sends that may block), on the
   * caller's thread (or the worker that sends a topic's first records) when the record fails
   * before it reached Kafka's buffer, on the retry thread after a retry, or on the thread that
   * closes the producer. What it throws is logged and does not change the record's outcome.
   *
   * @param record the record
   * @param callback hears the acknowledgement ({@code failure} null) or the failure ({@code
   *     metadata} null): an {@link MskAuthenticationException}, {@link
   *     MskAuthorizationException}, {@link MskDeliveryException}, or {@link
   *     MskProducerClosedException} after {@link #close()}
   */
  public void send(ProducerRecord<K, V> record, SendCallback callback) {
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(callback, "callback");
    Delivery<K, V> delivery = deliveries.forCallback(record, callback);
    dispatch(delivery);
    if (settings.flushPolicy() == FlushPolicy.PER_SEND) {
      try {
        DeliveryTracker.awaitSettled(List.of(delivery), System.nanoTime() + perSendWait().toNanos());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // the callback still hears the outcome
      }
    }
  }

  /** The send itself, for both kinds of senders. Its rare branches are methods of their own. */
  private void dispatch(Delivery<K, V> delivery) {
    if (heard) {
      // Before anything can fail the record, so that every failure a listener hears follows
      // its send (a listener's pending = sent - acknowledged - failed never goes below zero).
      String topic = delivery.record().topic();
      notifyListeners(l -> l.onSent(topic));
    }
    if (closed) {
      failClosed(delivery);
      return;
    }
    KafkaEngine<K, V> e = engine.now();
    if (e == null && (e = awaitStart(delivery)) == null) {
      return;
    }
    // Tracked from here: a send still waiting for the start is not accepted yet, as one
    // waiting in Kafka's send for metadata is not.
    tracker.begin(delivery);
    e.attempts.send(delivery);
  }

  /** Fails a record sent after close, at once. */
  private void failClosed(Delivery<K, V> delivery) {
    delivery.done(
        null,
        new MskProducerClosedException(
            "the producer "
                + settings.clientId()
                + " is closed: the record for topic "
                + delivery.record().topic()
                + " was not sent; build a new producer"));
  }

  /**
   * Waits for the start (a send made while the producer starts).
   *
   * @return the engine, or null if the record failed meanwhile (it is told)
   */
  private KafkaEngine<K, V> awaitStart(Delivery<K, V> delivery) {
    ProducerRecord<K, V> record = delivery.record();
    delivery.startNow(); // the retry budget counts the wait for the start
    if (startAwaitsAuthentication) {
      // Its metadata is fetched as soon as Kafka's producer exists, beside the first
      // authentication the start waits for, rather than after it (as the send's own wait for
      // metadata would). Only then: the start reads what that fetch fails with, and a start
      // that does not wait gains nothing by it.
      engine.warmTopic(record.topic());
    }
    try {
      return engine.get("a record for topic", record);
    } catch (MskProducerException failure) {
      // Never reached Kafka: failed now, with why (not started in time, the start failed, or
      // the producer closed meanwhile), and counted in flush's report; never tracked as in
      // flight, so a close() running now cannot report it as sent with an unknown outcome.
      delivery.done(null, failure);
      return null;
    }
  }

  /**
   * Sends a record and waits for its acknowledgement.
   *
   * @param record the record
   * @param timeout how long to wait
   * @return the acknowledgement
   * @throws MskProducerException if the record failed ({@link MskAuthenticationException},
   *     {@link MskAuthorizationException}, {@link MskDeliveryException}), or a retriable {@link
   *     MskDeliveryException} if no outcome came within {@code timeout}: the record then stays
   *     in flight, and a later {@link #flush(Duration)} reports it
   * @throws MskConfigurationException if {@code timeout} is negative (nothing is sent)
   */
  public RecordMetadata sendAndWait(ProducerRecord<K, V> record, Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative()) { // refused before the record is sent
      throw new MskConfigurationException(
          "timeout", "sendAndWait's timeout must be zero or positive, was " + timeout);
    }
    CompletableFuture<RecordMetadata> outcome = send(record);
    try {
      return outcome.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      Integer keyHash = record.key() == null ? null : record.key().hashCode();
      throw new MskDeliveryException(
          "record for topic "
              + record.topic()
              + " was not acknowledged within "
              + timeout
              + " (the wait given to sendAndWait); it stays in flight, and flush() reports its"
              + " outcome",
          e,
          true,
          record.topic(),
          record.partition(),
          keyHash);
    } catch (ExecutionException e) {
      throw (MskProducerException) e.getCause();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MskProducerException(
          "interrupted while waiting for the acknowledgement of a record for topic "
              + record.topic()
              + "; it stays in flight",
          e,
          true);
    }
  }

  /**
   * Sends a keyed value and waits for its acknowledgement.
   *
   * @param topic the topic
   * @param key the key
   * @param value the value
   * @param timeout how long to wait
   * @return the acknowledgement
   * @throws MskProducerException as {@link #sendAndWait(ProducerRecord, Duration)}
   */
  public RecordMetadata sendAndWait(String topic, K key, V value, Duration timeout) {
    return sendAndWait(new ProducerRecord<>(topic, key, value), timeout);
  }

  // ------------------------------------------------------------------ flushing

  /**
   * Sends what is buffered now and waits, at most until {@code deadline} has passed, for every
   * record in flight to be acknowledged or to fail. Unlike Kafka's {@code flush()}, it never
   * waits longer than asked (failure mode F12).
   *
   * <p>Every record appears in exactly one report as acknowledged or failed, and as pending in
   * the reports made before its outcome; one whose outcome arrives while this report is being
   * assembled is counted in this report or in the next.
   *
   * @param deadline how long to wait at most; zero reports without waiting
   * @return what was acknowledged and what failed since the previous flush, and what is still
   *     pending
   */
  public FlushResult<K, V> flush(Duration deadline) {
    Objects.requireNonNull(deadline, "deadline");
    if (deadline.isNegative()) {
      throw new MskConfigurationException(
          "deadline", "flush deadline must be zero or positive, was " + deadline);
    }
    long f0 = heard ? System.nanoTime() : 0;
    List<DeliveryTracker.Entry<K, V>> inFlight = tracker.inFlight();
    boolean deadlineReached = false;
    if (!inFlight.isEmpty()) {
      long end = System.nanoTime() + nanos(deadline);
      KafkaEngine<K, V> started = engine.now();
      if (!closed && started != null) {
        kafkaFlush.flush(started.kafka, deadline, end);
      }
      // Kafka's flush ran every callback of what it flushed; what is left is in a retry, or
      // came while it ran, or the deadline cut it short. Waiting on these few, not on every
      // record, keeps a flush from adding work per record to Kafka's I/O thread.
      if (deadline.isZero()) {
        deadlineReached = true; // a report now: no waiting, nothing made per record
      } else {
        try {
          deadlineReached = !DeliveryTracker.awaitSettled(inFlight, end);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          deadlineReached = true;
        }
      }
    }
    FlushResult<K, V> result = tracker.drain(deadlineReached);
    if (heard) {
      Duration took = Duration.ofNanos(System.nanoTime() - f0);
      notifyListeners(l -> l.onFlushed(result, took));
    }
    return result;
  }

  /** The duration in nanoseconds, at most about 73 years (what fits without overflow). */
  private static long nanos(Duration d) {
    return d.compareTo(Duration.ofDays(365L * 73)) > 0 ? Duration.ofDays(365L * 73).toNanos() : d.toNanos();
  }

  // ------------------------------------------------------------------ closing

  /**
   * Closes the producer, waiting at most {@link Timeouts#delivery()} for records in flight.
   * Idempotent.
   */
  @Override
  public void close() {
    close(settings.timeouts().delivery());
  }

  /**
   * Closes the producer, waiting at most {@code timeout} for records in flight; those still in
   * flight then fail with a {@link MskDeliveryException} (see their futures, or the next
   * {@link #flush(Duration)}). If it is still starting, the start is stopped (whoever waits
   * for it gets a {@link MskProducerClosedException}) and given at most {@code timeout} to
   * release what it made; it releases the rest itself, once the call it is in returns.
   * Idempotent.
   *
   * @param timeout how long to wait for records in flight; zero fails them at once
   */
  public void close(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    synchronized (closeLock) {
      if (closed) {
        return;
      }
      closed = true;
    }
    long t0 = System.nanoTime();
    try {
      KafkaEngine<K, V> e = engine.close(timeout, closedException("it closed while it started"));
      if (e != null) {
        e.close(timeout);
      }
    } finally {
      retryScheduler.shutdownNow();
      kafkaFlush.close();
      // Records waiting for a retry never reached Kafka: they fail here, not silently.
      List<FailedRecord<K, V>> failedAtClose = tracker.failRemaining(
          record ->
              new FailedRecord<>(
                  record,
                  new MskDeliveryException(
                      "the producer closed before the record for topic "
                          + record.topic()
                          + " was acknowledged; its delivery is unknown",
                      null,
                      true,
                      record.topic(),
                      record.partition(),
                      record.key() == null ? null : record.key().hashCode())));
      failedAtClose.forEach(f -> notifyListeners(l -> l.onSendFailed(f)));
      closeSerializers.run();
      Duration took = Duration.ofNanos(System.nanoTime() - t0);
      LOG.debug("msk-producer {} closed in {} ms", settings.clientId(), took.toMillis());
      notifyListeners(l -> l.onClosed(took));
    }
  }

  // ------------------------------------------------------------------ introspection

  /**
   * The partitions of a topic, fetching its metadata if the producer has none yet (waiting up
   * to {@link Timeouts#maxBlock()}). Also a way to warm a producer up before the first send.
   *
   * @param topic the topic
   * @return its partitions
   * @throws MskProducerException if the metadata cannot be had: {@link
   *     MskAuthorizationException} ({@code kafka-cluster:DescribeTopic}), {@link
   *     MskAuthenticationException}, a non-retriable {@link MskDeliveryException} if the cluster
   *     does not have the topic (within about a quarter of the max block), or a retriable one on
   *     timeout; {@link MskProducerClosedException} after {@link #close()}
   */
  public List<PartitionInfo> partitionsFor(String topic) {
    Objects.requireNonNull(topic, "topic");
    if (closed) {
      throw new MskProducerClosedException(
          "the producer " + settings.clientId() + " is closed: build a new one to ask for metadata");
    }
    try {
      KafkaEngine<K, V> e = engine.get("the metadata of topic " + topic, null);
      if (e.topics.isKnown(topic)) {
        return e.kafka.partitionsFor(topic);
      }
      List<PartitionInfo> partitions = e.topics.run(topic, () -> e.kafka.partitionsFor(topic));
      e.topics.known(topic);
      return partitions;
    } catch (RuntimeException e) {
      throw errors.forRecord(e, new ProducerRecord<>(topic, null), true);
    }
  }

  /**
   * Starts fetching a topic's metadata without waiting for it: while the producer starts, as
   * soon as its Kafka producer exists (beside its first authentication); once started, on a
   * thread of its own (one per topic at a time). A later send to the topic, or {@link #partitionsFor(String)}, then finds it. Failures
   * are left to them; it never throws for the cluster's state.
   *
   * @param topic the topic
   * @throws MskProducerClosedException after {@link #close()}
   */
  public void prefetchMetadata(String topic) {
    Objects.requireNonNull(topic, "topic");
    if (closed) {
      throw new MskProducerClosedException(
          "the producer " + settings.clientId() + " is closed: build a new one to ask for metadata");
    }
    engine.prefetch(topic);
  }

  /**
   * The configuration this producer was built from, as given: options left unset read as
   * unset. For a variant: {@code producer.config().toBuilder().linger(Duration.ZERO).build()}.
   *
   * @return the configuration
   */
  public MskProducerConfig config() {
    return config;
  }

  /**
   * Kafka's producer metrics (record send rate, request latency, {@code
   * successful-reauthentication-total}, ...). Empty until the producer has started (ask again
   * after {@link #awaitReady(Duration)}).
   *
   * @return the metrics, live once started
   */
  public Map<MetricName, ? extends Metric> metrics() {
    KafkaEngine<K, V> e = engine.now();
    return e == null ? Map.of() : e.kafka.metrics();
  }

  /**
   * Kafka client properties that connect another client, a {@code KafkaConsumer} or an {@code
   * Admin}, to the same cluster with this producer's authentication, TLS and connection
   * settings: {@code bootstrap.servers}, {@code security.protocol}, {@code sasl.*}, {@code
   * ssl.*}, connection set-up and back-off. No producer setting and no {@code client.id}: add
   * the client's own (group id, deserializers) to the returned map.
   *
   * <p>With IAM the other client signs its tokens with this producer's credentials, so use it
   * only while this producer is open: once the producer is closed, the client can no longer
   * authenticate. The map may hold a secret (the SCRAM password in {@code sasl.jaas.config},
   * which Kafka never logs): do not print it.
   *
   * @return a new, mutable map
   * @throws MskProducerException while the producer starts, after waiting up to max block for
   *     the start (a retriable {@link MskDeliveryException}), or why the start failed; {@link
   *     MskProducerClosedException} after {@link #close()}
   */
  public Map<String, Object> clientProperties() {
    if (closed) {
      throw new MskProducerClosedException(
          "the producer "
              + settings.clientId()
              + " is closed: its client properties no longer authenticate; build a new one");
    }
    return new LinkedHashMap<>(engine.get("its client properties", null).connectionProperties);
  }

  /**
   * Kafka producer properties that configure another producer like this one, e.g. Spring
   * Kafka's {@code ProducerFactory} or a hand-wired {@code KafkaProducer}: {@link
   * #clientProperties()} plus acks, idempotence, compression, linger, batch size, timeouts and
   * any extra property set on this producer. No {@code client.id} (give the other producer its
   * own) and no serializers.
   *
   * <p>With IAM the other producer signs its tokens with this producer's credentials: use it
   * only while this producer is open. The map may hold a secret (a SCRAM password): do not
   * print it.
   *
   * @return a new, mutable map
   * @throws MskProducerException as {@link #clientProperties()}
   */
  public Map<String, Object> producerProperties() {
    Map<String, Object> p = new LinkedHashMap<>(KafkaProperties.producerOnly(settings));
    p.putAll(clientProperties());
    return p;
  }

  /**
   * The producer's {@code client.id}.
   *
   * @return the client id
   */
  public String clientId() {
    return settings.clientId();
  }

  /**
   * The region tokens are signed for, for IAM.
   *
   * @return the region, or null for other mechanisms
   */
  public String region() {
    return settings.region();
  }

  /** The client id and effective configuration; never a secret. */
  @Override
  public String toString() {
    return "MskProducer{clientId=" + settings.clientId() + ", " + settings.describe() + "}";
  }

  // ------------------------------------------------------------------ helpers

  private Duration perSendWait() {
    return settings.timeouts().maxBlock().plus(settings.timeouts().delivery()).plusSeconds(5);
  }

  private static void awaitQuietly(CompletableFuture<?> f, Duration max) {
    try {
      f.get(max.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // the caller reads the outcome from the future
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void notifyListeners(Consumer<MskProducerListener> call) {
    listeners.fire(call);
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
