package io.github.mskproducer.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import io.github.mskproducer.core.FailedRecord;
import io.github.mskproducer.core.FlushResult;
import io.github.mskproducer.core.MskProducer;
import io.github.mskproducer.core.MskProducerBuilder;
import io.github.mskproducer.core.MskProducerClosedException;
import io.github.mskproducer.core.MskProducerException;
import io.github.mskproducer.core.MskProducerListener;
import io.github.mskproducer.core.ProducerInstrumentation;
import io.github.mskproducer.core.Timeouts;
import io.github.mskproducer.core.internal.Listeners;
import io.github.mskproducer.core.internal.json.Json;
import io.github.mskproducer.core.internal.serde.Serializers;
import io.github.mskproducer.lambda.internal.Clock2;
import io.github.mskproducer.lambda.internal.Emf;
import io.github.mskproducer.lambda.internal.Fatal;
import io.github.mskproducer.lambda.internal.ClientIds;
import io.github.mskproducer.lambda.internal.LambdaDefaults;
import io.github.mskproducer.lambda.internal.RecyclePolicy;
import io.github.mskproducer.lambda.internal.SendPathPrimer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serializer;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link MskProducer} that lives through the AWS Lambda lifecycle. Create one per execution
 * environment, in the handler's constructor (Lambda creates the handler once per environment)
 * or a static field, and run each invocation through {@link #invoke}. A constructor that takes
 * the environment as a map lets a test build the handler against the testkit's local broker
 * ({@code new OrdersHandler(msk.environment())}, with the testkit's {@code TestLambdaContext}):
 *
 * <pre>{@code
 * public class OrdersHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
 *   private final LambdaProducer<String, String> producer;
 *
 *   public OrdersHandler() {                          // what Lambda calls, during init
 *     this(System.getenv());
 *   }
 *
 *   OrdersHandler(Map<String, String> environment) {  // what a test calls
 *     producer = LambdaProducer.builder(String.class, String.class)
 *         .producer(b -> b.fromEnvironment(environment)) // MSK_BOOTSTRAP_SERVERS, ...
 *         .prewarm("orders")
 *         .build();
 *   }
 *
 *   public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
 *     return producer.invoke(context, invocation -> {
 *       for (SQSMessage m : event.getRecords()) {
 *         invocation.send(new ProducerRecord<>("orders", m.getBody()), m.getMessageId());
 *       }
 *       return null;
 *     }).sqsBatchResponse();
 *   }
 * }
 * }</pre>
 *
 * <p>Before each invocation it recycles the Kafka producer (fresh connections, token and
 * metadata; the old one closes in the background) when the environment was frozen longer than
 * the thaw threshold, when the previous invocation ended with a fatal failure or with records
 * pending, or when the producer is older than the maximum age; then it warms up the metadata of
 * the topics given to {@link LambdaProducerBuilder#prewarm}. After each invocation it flushes, bounded by the
 * invocation's remaining time minus a safety margin, and reports every record as acknowledged,
 * failed or pending; nothing pending is carried into a freeze. It registers SnapStart (CRaC)
 * hooks, so that no connection and no idempotent producer id survives a snapshot, and a
 * shutdown hook that flushes within the time Lambda gives after SIGTERM.
 *
 * <p>Invocations are run one at a time (as Lambda does per environment). Logs one structured
 * line (JSON) per recycle at INFO, and per flush at DEBUG (WARN when records failed or are
 * pending), with the request id.
 *
 * <p>This file is long (some 710 lines) because it holds an invocation's whole life in one
 * place, in the order Lambda runs it: the recycle decision's inputs, the producer it swaps and
 * retires, the SnapStart hooks (which must be this object, the one registered with CRaC), the
 * flush and its report, the log line and the metrics. The decisions themselves are elsewhere:
 * when to recycle ({@code internal.RecyclePolicy}), the Lambda defaults ({@code
 * internal.LambdaDefaults}), the metrics' format ({@code internal.Emf}), what the send path
 * loads before a snapshot ({@code internal.SendPathPrimer}), the options ({@link
 * LambdaProducerBuilder}, {@link LambdaSettings}).
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class LambdaProducer<K, V> implements AutoCloseable, Resource {
  /**
   * The environment variables the Lambda settings not set in code are read from ({@code
   * MSK_LAMBDA_THAW_THRESHOLD_MS}, {@code MSK_LAMBDA_MAX_AGE_MS}, {@code
   * MSK_LAMBDA_FLUSH_MARGIN_MS}, {@code MSK_LAMBDA_PREWARM_TOPICS}, {@code
   * MSK_LAMBDA_RECORD_ID_HEADER}, {@code MSK_LAMBDA_METRICS}); see {@link LambdaProducerBuilder}.
   */
  public static final List<String> ENVIRONMENT_VARIABLES = LambdaSettings.ENVIRONMENT_VARIABLES;
  /** Lambda's default request timeout for the producer. */
  public static final Duration LAMBDA_REQUEST_TIMEOUT = Duration.ofSeconds(5);
  /**
   * Lambda's default delivery timeout for the producer: 15 s, room for two request timeouts
   * and a new connection. After a freeze both the connection to the leader and the one Kafka
   * then asks for metadata on may be dead, each found only by a request timeout (10 s in all);
   * with 10 s a record failed there (the reliability suite's freeze/thaw soak found it).
   */
  public static final Duration LAMBDA_DELIVERY_TIMEOUT = Duration.ofSeconds(15);
  /**
   * The longest the constructor waits for the Kafka producer to start (Lambda's init phase has
   * 10 s in all): 5 s.
   */
  public static final Duration INIT_READY_WAIT = Duration.ofSeconds(5);

  /** Lambda's default linger: an invocation flushes at its end anyway. */
  public static final Duration LAMBDA_LINGER = Duration.ofMillis(5);
  /** Lambda's default max block for the producer. */
  public static final Duration LAMBDA_MAX_BLOCK = Duration.ofSeconds(2);
  /** Lambda's default {@code connections.max.idle.ms}: below the 350 s NAT/NLB idle timeout. */
  public static final Duration LAMBDA_CONNECTIONS_MAX_IDLE = Duration.ofSeconds(240);

  private static final Logger LOG = LoggerFactory.getLogger(LambdaProducer.class);
  /** Lambda's runtime keeps CRaC resources in a weak map: keep ours strongly reachable. */
  private static final Set<Object> SNAPSTART_RESOURCES = ConcurrentHashMap.newKeySet();
  /** Lambda's timeouts, each applied only where the user set none. */
  private static final LambdaDefaults DEFAULTS =
      new LambdaDefaults(
          Timeouts.builder()
              .request(LAMBDA_REQUEST_TIMEOUT)
              .delivery(LAMBDA_DELIVERY_TIMEOUT)
              .maxBlock(LAMBDA_MAX_BLOCK)
              .build(),
          LAMBDA_LINGER,
          LAMBDA_CONNECTIONS_MAX_IDLE);

  private final Supplier<MskProducerBuilder<K, V>> builders;
  private final Runnable closeSerializers;
  private final Consumer<MskProducerBuilder<K, V>> userConfig;
  private final List<MskProducerListener> listeners;
  private final List<ProducerInstrumentation> instrumentations;
  private final Function<Context, AutoCloseable> invocationScope;
  private final Listeners lambdaListeners;
  private final LambdaSettings settings;
  private final RecyclePolicy recyclePolicy;
  private final long flushMarginMillis;
  private final Map<String, String> env;
  private final ClientIds clientIds;
  private final StatsCounter stats = new StatsCounter();
  private final Clock2 clock;
  private final ExecutorService closer;
  private final Thread shutdownHook;
  private final ReentrantLock lock = new ReentrantLock();

  private MskProducer<K, V> current;
  private long currentCreatedNanos;
  private long lastEndNanos = -1;
  private RecycleReason unreported;
  private RecycleReason rebuildReason;
  /** The producer this invocation's recycle retired, closed once the invocation flushed. */
  private MskProducer<K, V> retiring;
  private boolean closed;

  LambdaProducer(LambdaProducerBuilder<K, V> b) {
    this.builders = b.builders;
    this.closeSerializers = b.closeSerializers;
    this.userConfig = b.userConfig;
    this.listeners = List.copyOf(b.listeners);
    this.instrumentations = List.copyOf(b.instrumentations);
    this.invocationScope = b.invocationScope;
    this.lambdaListeners = new Listeners(listeners);
    // Set in code wins; else the deployment's MSK_LAMBDA_* variable; else the default.
    this.settings = b.settings.build().resolve(b.env);
    this.recyclePolicy =
        new RecyclePolicy(settings.thawThreshold().orElseThrow(), settings.maxAge().orElseThrow());
    this.flushMarginMillis = settings.flushMargin().orElseThrow().toMillis();
    this.env = b.env;
    this.clock = b.clock;
    this.clientIds = new ClientIds(env);
    this.closer =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "msk-producer-lambda-closer");
              t.setDaemon(true);
              return t;
            });
    // Built during the init phase, where Lambda gives full CPU: the first invocation does not
    // pay for it. A configuration error fails the init, loudly; so does a start that failed
    // (no credentials). A producer that started but whose first connection failed
    // authentication (an untrusted certificate; keys or a policy refused, perhaps still
    // propagating) does not fail the init: the first invocation replaces it (START_FAILED). The init phase has 10 s: the start is waited for at most
    // INIT_READY_WAIT; the first invocation's sends wait for it within max block.
    this.current = newProducer();
    // The prewarm topics' metadata comes beside the first authentication.
    for (String topic : settings.prewarmTopics().orElseThrow()) {
      current.prefetchMetadata(topic);
    }
    try {
      if (!current.awaitReady(INIT_READY_WAIT)) {
        LOG.info(
            "msk-producer {} is still starting after {} ms of the init phase; the first"
                + " invocation's sends wait for it (within max block)",
            current.clientId(),
            INIT_READY_WAIT.toMillis());
      }
    } catch (MskProducerException e) {
      if (current.isReady()) {
        LOG.warn(
            "msk-producer {}: {}; the first invocation starts a new producer",
            current.clientId(),
            e.getMessage());
      } else {
        current.close(Duration.ZERO);
        closer.shutdown();
        throw e;
      }
    }
    this.currentCreatedNanos = clock.nanoTime();
    this.unreported = RecycleReason.FIRST_USE;
    stats.recycled(RecycleReason.FIRST_USE);
    if (b.snapStart) {
      SNAPSTART_RESOURCES.add(this);
      Core.getGlobalContext().register(this);
    }
    if (b.shutdownHook) {
      shutdownHook = new Thread(this::onShutdown, "msk-producer-lambda-shutdown");
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    } else {
      shutdownHook = null;
    }
  }

  /**
   * A builder for a producer of these key and value types (see {@link MskProducer#builder(Class,
   * Class)}).
   *
   * @param keyType the key class
   * @param valueType the value class
   * @param <K> the key type
   * @param <V> the value type
   * @return a new builder
   */
  public static <K, V> LambdaProducerBuilder<K, V> builder(Class<K> keyType, Class<V> valueType) {
    Objects.requireNonNull(keyType, "keyType");
    Objects.requireNonNull(valueType, "valueType");
    return new LambdaProducerBuilder<>(() -> MskProducer.builder(keyType, valueType), () -> {});
  }

  /**
   * A builder for a producer with these serializers. The {@code LambdaProducer} owns them: every
   * Kafka producer it makes (one per recycle) uses them without closing them, and {@link
   * #close()} closes each once. Configure them before; build one {@code LambdaProducer} per
   * pair. As for {@link MskProducer#builder(Serializer, Serializer)}, Kafka's plugin metrics
   * ({@code Monitorable}) are not handed to them.
   *
   * @param keySerializer serializes keys
   * @param valueSerializer serializes values
   * @param <K> the key type
   * @param <V> the value type
   * @return a new builder
   */
  public static <K, V> LambdaProducerBuilder<K, V> builder(
      Serializer<K> keySerializer, Serializer<V> valueSerializer) {
    Objects.requireNonNull(keySerializer, "keySerializer");
    Objects.requireNonNull(valueSerializer, "valueSerializer");
    Serializer<K> key = Serializers.kept(keySerializer);
    Serializer<V> value = Serializers.kept(valueSerializer);
    return new LambdaProducerBuilder<>(
        () -> MskProducer.builder(key, value),
        () -> Serializers.closeOnce(keySerializer, valueSerializer));
  }

  // ------------------------------------------------------------------ invocations

  /**
   * Runs one invocation: recycles the Kafka producer if needed, runs {@code function}, then
   * flushes within the invocation's remaining time minus the safety margin.
   *
   * @param context the invocation's Lambda context
   * @param function sends the invocation's records and returns its result
   * @param <R> the result type
   * @return the function's result and every record's outcome
   * @throws InvocationException if the function threw a checked exception (unchecked ones and
   *     errors are rethrown as they are); its records were flushed all the same
   * @throws MskProducerClosedException if this producer was closed
   */
  public <R> InvocationResult<K, V, R> invoke(Context context, InvocationFunction<K, V, R> function) {
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(function, "function");
    lock.lock();
    try {
      if (closed) {
        throw new MskProducerClosedException(
            "this LambdaProducer was closed: the invocation did not run; build a new one");
      }
      String requestId = context.getAwsRequestId();
      RecycleReason recycled = prepare(requestId, context.getRemainingTimeInMillis());
      MskProducer<K, V> producer = current;
      Invocation<K, V> invocation = new Invocation<>(context, producer, settings.recordIdHeader().orElseThrow());
      R value = null;
      Throwable failure = null;
      AutoCloseable scope = invocationScope == null ? null : invocationScope.apply(context);
      long budgetMillis;
      FlushResult<K, V> flush;
      long flushEnd;
      Duration took;
      try {
        try {
          value = function.apply(invocation);
        } catch (Exception | Error e) {
          failure = e;
        }
        budgetMillis = Math.max(0, context.getRemainingTimeInMillis() - flushMarginMillis);
        long f0 = clock.nanoTime();
        flush = producer.flush(Duration.ofMillis(budgetMillis));
        flushEnd = clock.nanoTime();
        took = Duration.ofNanos(flushEnd - f0);
      } finally {
        closeQuietly(scope);
      }
      InvocationResult<K, V, R> result =
          new InvocationResult<>(requestId, value, flush, recycled, invocation);
      // Every record acknowledged is the usual end: then nothing more to look at, and the line
      // below is at DEBUG (CloudWatch bills each line), else WARN; it is built only if logged.
      boolean clean = flush.isComplete();
      if (!clean) {
        afterFlush(flush, requestId);
      }
      stats.invocation(flush, took);
      lastEndNanos = flushEnd;
      if (!clean || LOG.isDebugEnabled()) {
        logFlush(
            clean,
            Json.object()
                .put("event", "msk-producer-flush")
                .putIfNotNull("requestId", requestId)
                .put("acknowledged", flush.acknowledged())
                .put("failed", flush.failed().size())
                .put("pending", flush.pending().size())
                .put("flushMs", took.toMillis())
                .put("deadlineMs", budgetMillis)
                .putIfNotNull("recycled", recycled == null ? null : recycled.name()));
      }
      if (settings.emitMetrics().orElseThrow()) {
        emitMetrics(flush, took, recycled);
      }
      if (failure instanceof RuntimeException) {
        throw (RuntimeException) failure;
      }
      if (failure instanceof Error) {
        throw (Error) failure;
      }
      if (failure != null) {
        throw new InvocationException(
            "the invocation failed: " + failure, failure, result);
      }
      return result;
    } finally {
      closeRetired();
      lock.unlock();
    }
  }

  private static void closeQuietly(AutoCloseable scope) {
    if (scope == null) {
      return;
    }
    try {
      scope.close();
    } catch (Exception e) {
      LOG.warn("closing the invocation scope failed (ignored): {}", e.toString());
    }
  }

  /** Decides whether to recycle, builds a producer if none, warms it up. */
  private RecycleReason prepare(String requestId, long remainingMillis) {
    long now = clock.nanoTime();
    RecycleReason reason = null;
    if (current != null) {
      reason = current.failure().isPresent() ? RecycleReason.START_FAILED : null;
      if (reason == null) {
        reason = recyclePolicy.due(now, lastEndNanos, currentCreatedNanos);
      }
      if (reason != null) {
        long gap = lastEndNanos < 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(now - lastEndNanos);
        retire(reason, requestId, gap, true);
      }
    }
    if (current == null) {
      reason = rebuildReason == null ? RecycleReason.FIRST_USE : rebuildReason;
      rebuildReason = null;
      current = newProducer();
      currentCreatedNanos = now;
      stats.recycled(reason);
      // The prewarm topics' metadata comes beside the new producer's first authentication.
      for (String topic : settings.prewarmTopics().orElseThrow()) {
        current.prefetchMetadata(topic);
      }
      awaitStart(remainingMillis);
      prewarm();
    } else if (unreported != null) {
      reason = unreported;
      prewarm();
    }
    unreported = null;
    if (reason != null) {
      RecycleReason recycled = reason;
      lambdaListeners.fire(
          l -> {
            if (l instanceof LambdaProducerListener) {
              ((LambdaProducerListener) l).onRecycled(recycled, requestId);
            }
          });
    }
    return reason;
  }

  /**
   * Waits for a fresh producer's start within the invocation's time (less the flush margin),
   * as build() used to: its sends would otherwise each give up after max block (2 s here)
   * while the start may take longer (the KAFKA-20237 restarts under "Too many connects").
   * A start that failed is left for the sends to report, and the next invocation retries it.
   */
  private void awaitStart(long remainingMillis) {
    long budget = remainingMillis - flushMarginMillis;
    if (budget <= 0) {
      return;
    }
    try {
      current.awaitReady(Duration.ofMillis(budget));
    } catch (MskProducerException e) {
      LOG.debug("the fresh producer did not start: {}", e.getMessage());
    }
  }

  private void afterFlush(FlushResult<K, V> flush, String requestId) {
    if (!flush.pending().isEmpty()) {
      // Nothing in flight may sleep through a freeze (F1, F2): their delivery is now unknown.
      retire(RecycleReason.PENDING_AT_END, requestId, -1, false);
      return;
    }
    FailedRecord<K, V> fatal = firstFatal(flush.failed());
    if (fatal != null) {
      LOG.debug("fatal producer failure, recycling before the next invocation: {}", fatal);
      retire(RecycleReason.FATAL_ERROR, requestId, -1, false);
    }
  }

  private static <K, V> FailedRecord<K, V> firstFatal(List<FailedRecord<K, V>> failures) {
    for (FailedRecord<K, V> f : failures) {
      if (Fatal.isFatal(f.cause())) {
        return f;
      }
    }
    return null;
  }

  /**
   * Drops the current producer; it closes in the background, the invocation does not wait.
   * Retired at the start of an invocation ({@code afterThisInvocation}), it closes once the
   * invocation has flushed: closing it meanwhile would take CPU from its successor's start, the
   * first acknowledgement's critical path (a Lambda has one or two cores).
   */
  private void retire(RecycleReason reason, String requestId, long gapMillis, boolean afterThisInvocation) {
    MskProducer<K, V> old = current;
    current = null;
    rebuildReason = reason;
    if (old != null) {
      if (afterThisInvocation) {
        retiring = old;
      } else {
        closeInBackground(old);
      }
    }
    log(
        Json.object()
            .put("event", "msk-producer-recycle")
            .put("reason", reason.name())
            .putIfNotNull("requestId", requestId)
            .putIfNotNull("gapMs", gapMillis < 0 ? null : gapMillis)
            .put("ageMs", TimeUnit.NANOSECONDS.toMillis(clock.nanoTime() - currentCreatedNanos))
            .putIfNotNull("clientId", old == null ? null : old.clientId()));
  }

  private void closeInBackground(MskProducer<K, V> old) {
    closer.execute(() -> old.close(Duration.ZERO));
  }

  /** Closes the producer this invocation's recycle retired, if any. */
  private void closeRetired() {
    MskProducer<K, V> old = retiring;
    if (old != null) {
      retiring = null;
      closeInBackground(old);
    }
  }

  private void prewarm() {
    for (String topic : settings.prewarmTopics().orElseThrow()) {
      try {
        current.partitionsFor(topic);
      } catch (MskProducerException e) {
        LOG.warn("could not warm up metadata of topic {}: {}", topic, e.getMessage());
      }
    }
  }

  private MskProducer<K, V> newProducer() {
    MskProducerBuilder<K, V> b = builders.get();
    listeners.forEach(b::listener);
    userConfig.accept(b);
    instrumentations.forEach(b::instrument);
    return b.config(DEFAULTS.apply(b.config(), clientIds.next())).build();
  }

  // ------------------------------------------------------------------ SnapStart (CRaC)

  /**
   * SnapStart is about to take a snapshot: flushes, then closes the Kafka producer, so that no
   * connection, credentials, token or idempotent producer id is captured (F10, F11), and loads
   * the classes of the send path, so that the first send after a restore is fast.
   *
   * @param context the CRaC context (unused)
   */
  @Override
  public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
    lock.lock();
    try {
      if (current != null) {
        FlushResult<K, V> flush = current.flush(Duration.ofSeconds(5));
        if (!flush.isComplete()) {
          LOG.warn("before the SnapStart snapshot, not every record was acknowledged: {}", flush);
        }
        current.close(Duration.ofSeconds(1));
        current = null;
      }
      rebuildReason = RecycleReason.SNAPSTART_RESTORE;
      unreported = null;
      SendPathPrimer.prime(LambdaProducer.class.getClassLoader());
    } finally {
      lock.unlock();
    }
  }

  /**
   * Restored from a SnapStart snapshot: the next invocation builds a fresh producer, with a new
   * client id suffix, since every environment restored from one snapshot shares what init made.
   *
   * @param context the CRaC context (unused)
   */
  @Override
  public void afterRestore(org.crac.Context<? extends Resource> context) {
    lock.lock();
    try {
      clientIds.renew();
      rebuildReason = RecycleReason.SNAPSTART_RESTORE;
      lastEndNanos = -1;
    } finally {
      lock.unlock();
    }
  }

  // ------------------------------------------------------------------ shutdown

  /** Lambda's SIGTERM gives about 300 ms: flush for 250 of them, then close at once. */
  private void onShutdown() {
    try {
      if (!lock.tryLock(50, TimeUnit.MILLISECONDS)) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    try {
      if (current != null && !closed) {
        FlushResult<K, V> flush = current.flush(Duration.ofMillis(250));
        current.close(Duration.ZERO);
        current = null;
        log(
            Json.object()
                .put("event", "msk-producer-shutdown")
                .put("acknowledged", flush.acknowledged())
                .put("failed", flush.failed().size())
                .put("pending", flush.pending().size()));
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Closes the Kafka producer (waiting up to 5 s for records in flight) and unregisters the
   * hooks. Idempotent.
   */
  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      if (current != null) {
        current.close(Duration.ofSeconds(5));
        current = null;
      }
      closeRetired();
      SNAPSTART_RESOURCES.remove(this);
      if (shutdownHook != null) {
        try {
          Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
          // the JVM is shutting down
        }
      }
      // Recycled producers may still be closing in the background (a retry there would
      // serialize again): the serializers close after them, or after 5 s at most.
      closer.shutdown();
      try {
        closer.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      closeSerializers.run();
    } finally {
      lock.unlock();
    }
  }

  // ------------------------------------------------------------------ observability

  /** For tests: the current Kafka producer, or null. */
  MskProducer<K, V> currentProducer() {
    lock.lock();
    try {
      return current;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The Lambda settings this producer runs with, every one resolved (set in code, else from
   * its environment variable, else its default).
   *
   * @return the settings
   */
  public LambdaSettings settings() {
    return settings;
  }

  /**
   * Counters since this producer was built.
   *
   * @return a snapshot
   */
  public LambdaProducerStats stats() {
    lock.lock();
    try {
      return stats.snapshot();
    } finally {
      lock.unlock();
    }
  }

  /**
   * The client id the current (or next) Kafka producer uses: the function name and a suffix
   * that is new per execution environment and after a SnapStart restore.
   *
   * @return the client id
   */
  public String clientId() {
    lock.lock();
    try {
      return current != null ? current.clientId() : clientIds.next();
    } finally {
      lock.unlock();
    }
  }

  private static void log(Json.Obj line) {
    LOG.info("{}", line);
  }

  private static void logFlush(boolean clean, Json.Obj line) {
    if (!clean) {
      LOG.warn("{}", line);
    } else if (LOG.isDebugEnabled()) {
      LOG.debug("{}", line);
    }
  }

  /** One CloudWatch Embedded Metric Format line on standard output. */
  private void emitMetrics(FlushResult<K, V> flush, Duration took, RecycleReason recycled) {
    System.out.println(
        Emf.line(
            clock.currentTimeMillis(),
            env.getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "unknown"),
            took.toMillis(),
            flush.acknowledged(),
            flush.failed().size(),
            flush.pending().size(),
            recycled != null));
  }

  @Override
  public String toString() {
    return "LambdaProducer{clientId=" + clientId() + ", " + stats() + "}";
  }
}
