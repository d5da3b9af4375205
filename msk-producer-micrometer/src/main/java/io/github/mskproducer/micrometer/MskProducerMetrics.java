package io.github.mskproducer.micrometer;

import io.github.mskproducer.core.FailedRecord;
import io.github.mskproducer.core.FlushResult;
import io.github.mskproducer.core.KafkaProducerHandle;
import io.github.mskproducer.core.MskAuthenticationException;
import io.github.mskproducer.core.MskAuthorizationException;
import io.github.mskproducer.core.MskConfigurationException;
import io.github.mskproducer.core.MskDeliveryException;
import io.github.mskproducer.core.MskProducerClosedException;
import io.github.mskproducer.core.MskProducerException;
import io.github.mskproducer.core.MskProducerListener;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * The producer's meters for Micrometer: what it sent, what was acknowledged, what failed and
 * why, what is pending; how long acknowledgements and flushes take; IAM token signings, retries
 * and start-up restarts; and Kafka's own client metrics ({@code kafka.producer.*}) of whichever
 * Kafka producer runs now. One object is both the producer's listener and the registry's
 * binder:
 *
 * <pre>{@code
 * MskProducerMetrics metrics = MskProducerMetrics.create(Tags.of("producer", "orders"));
 * MskProducer<String, String> producer =
 *     MskProducer.builder(String.class, String.class).fromEnvironment().listener(metrics).build();
 * metrics.bindTo(registry);   // Spring Boot binds a MeterBinder bean itself
 * }</pre>
 *
 * <p>The counters count from the first event, whenever {@link #bindTo} is called (the timers,
 * {@code send.latency} and {@code flush}, time what follows the binding), and across
 * everything the producer replaces: a start-up restart or (with {@link LambdaProducerMetrics})
 * a Lambda recycle makes a new Kafka producer, and Kafka's client metrics are re-bound to it at
 * once, so that no meter reads a closed producer. Bind one {@code MskProducerMetrics} to one
 * producer; give producers different tags.
 *
 * <table>
 *   <caption>Meters (every one with the tags given to {@link #create(Iterable)})</caption>
 *   <tr><th>name</th><th>type</th><th>what</th></tr>
 *   <tr><td>{@code msk.producer.records.sent}</td><td>counter</td><td>records {@code send}
 *       accepted</td></tr>
 *   <tr><td>{@code msk.producer.records.acknowledged}</td><td>counter</td><td>records the
 *       brokers acknowledged</td></tr>
 *   <tr><td>{@code msk.producer.records.failed}</td><td>counter, tag {@code reason}</td><td>records
 *       that failed: {@code authentication}, {@code authorization}, {@code configuration},
 *       {@code closed}, {@code delivery}, {@code other}</td></tr>
 *   <tr><td>{@code msk.producer.records.pending}</td><td>gauge</td><td>accepted, without an
 *       outcome yet</td></tr>
 *   <tr><td>{@code msk.producer.send.latency}</td><td>timer, percentiles 0.5, 0.95,
 *       0.99</td><td>from {@code send} to the acknowledgement</td></tr>
 *   <tr><td>{@code msk.producer.flush}</td><td>timer</td><td>{@code flush} calls</td></tr>
 *   <tr><td>{@code msk.producer.tokens}</td><td>counter, tag {@code result} ({@code signed},
 *       {@code failed})</td><td>IAM tokens signed for connections and
 *       re-authentications</td></tr>
 *   <tr><td>{@code msk.producer.retries}</td><td>counter</td><td>sends tried again</td></tr>
 *   <tr><td>{@code msk.producer.restarts}</td><td>counter</td><td>Kafka producers replaced while
 *       starting (KAFKA-20237)</td></tr>
 *   <tr><td>{@code kafka.producer.*}</td><td>Micrometer's {@link KafkaClientMetrics}</td><td>the
 *       running Kafka producer's own metrics</td></tr>
 * </table>
 */
public class MskProducerMetrics implements MskProducerListener, MeterBinder, AutoCloseable {
  /** The prefix of every meter this binder makes (Kafka's client metrics aside). */
  public static final String PREFIX = "msk.producer";

  private static final List<String> REASONS =
      List.of("authentication", "authorization", "configuration", "closed", "delivery", "other");

  private final Tags tags;
  private final LongAdder sent = new LongAdder();
  private final LongAdder acknowledged = new LongAdder();
  private final Map<String, LongAdder> failed = new ConcurrentHashMap<>();
  private final LongAdder tokensSigned = new LongAdder();
  private final LongAdder tokensFailed = new LongAdder();
  private final LongAdder retries = new LongAdder();
  private final LongAdder restarts = new LongAdder();
  private final List<Bound> bound = new CopyOnWriteArrayList<>();
  private final Object kafkaLock = new Object();
  private KafkaProducerHandle kafka; // under kafkaLock
  private boolean closed; // under kafkaLock

  /** Meters bound to one registry. */
  private final class Bound {
    final MeterRegistry registry;
    final List<Meter> meters = new ArrayList<>();
    final Timer latency;
    final Timer flush;
    KafkaClientMetrics kafkaMetrics; // under kafkaLock

    Bound(MeterRegistry registry) {
      this.registry = registry;
      counter("records.sent", sent, "records send accepted", Tags.empty());
      counter("records.acknowledged", acknowledged, "records the brokers acknowledged", Tags.empty());
      for (String reason : REASONS) {
        counter("records.failed", failed(reason), "records that failed", Tags.of("reason", reason));
      }
      meters.add(
          Gauge.builder(PREFIX + ".records.pending", MskProducerMetrics.this, m -> m.pending())
              .description("records accepted by send without an outcome yet")
              .tags(tags)
              .register(registry));
      latency =
          Timer.builder(PREFIX + ".send.latency")
              .description("from send to the brokers' acknowledgement")
              .publishPercentiles(0.5, 0.95, 0.99)
              .tags(tags)
              .register(registry);
      meters.add(latency);
      flush =
          Timer.builder(PREFIX + ".flush")
              .description("flush calls, from the call to the report")
              .tags(tags)
              .register(registry);
      meters.add(flush);
      counter("tokens", tokensSigned, "IAM tokens signed", Tags.of("result", "signed"));
      counter("tokens", tokensFailed, "IAM tokens that could not be signed", Tags.of("result", "failed"));
      counter("retries", retries, "sends tried again after a failure before the buffer", Tags.empty());
      counter("restarts", restarts, "Kafka producers replaced while starting (KAFKA-20237)", Tags.empty());
    }

    void counter(String name, LongAdder value, String description, Tags extra) {
      meters.add(
          FunctionCounter.builder(PREFIX + "." + name, value, LongAdder::doubleValue)
              .description(description)
              .tags(tags.and(extra))
              .register(registry));
    }

    /** A meter of a subclass (e.g. Lambda recycles), removed with the rest. */
    void add(Meter meter) {
      meters.add(meter);
    }
  }

  /**
   * Meters without extra tags.
   *
   * @return a new binder
   */
  public static MskProducerMetrics create() {
    return new MskProducerMetrics(Tags.empty());
  }

  /**
   * Meters with these tags, e.g. {@code Tags.of("producer", "orders")} to tell producers apart.
   *
   * @param tags the tags of every meter
   * @return a new binder
   */
  public static MskProducerMetrics create(Iterable<Tag> tags) {
    return new MskProducerMetrics(Tags.of(Objects.requireNonNull(tags, "tags")));
  }

  /**
   * For subclasses.
   *
   * @param tags the tags of every meter
   */
  protected MskProducerMetrics(Tags tags) {
    this.tags = tags;
  }

  /**
   * The tags of every meter.
   *
   * @return the tags
   */
  public Tags tags() {
    return tags;
  }

  /**
   * Registers the meters with a registry, and Kafka's client metrics of the Kafka producer
   * running now (and of each one after it). Binding to a registry this binder is bound to already
   * does nothing, so that a binder Spring Boot binds and a test binds again counts once.
   *
   * @param registry the registry
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    synchronized (kafkaLock) {
      if (closed) {
        throw new IllegalStateException("these MskProducerMetrics were closed: create new ones");
      }
      for (Bound existing : bound) {
        if (existing.registry == registry) {
          return;
        }
      }
      Bound b = new Bound(registry);
      bindMore(registry, b::add);
      bound.add(b);
      if (kafka != null) {
        b.kafkaMetrics = kafkaMetrics(kafka, registry);
      }
    }
  }

  /**
   * Where a subclass registers its own meters on a registry being bound.
   *
   * @param registry the registry
   * @param meters takes each meter registered, to remove it on {@link #close()}
   */
  protected void bindMore(MeterRegistry registry, java.util.function.Consumer<Meter> meters) {}

  /**
   * Records pending now: accepted, neither acknowledged nor failed.
   *
   * @return the count
   */
  public long pending() {
    long f = 0;
    for (LongAdder a : failed.values()) {
      f += a.sum();
    }
    return Math.max(0, sent.sum() - acknowledged.sum() - f);
  }

  // ------------------------------------------------------------------ the producer's events

  @Override
  public void onSent(String topic) {
    sent.increment();
  }

  @Override
  public void onAcknowledged(RecordMetadata metadata, Duration latency) {
    acknowledged.increment();
    for (Bound b : bound) {
      b.latency.record(latency);
    }
  }

  @Override
  public void onSendFailed(FailedRecord<?, ?> record) {
    failed(reason(record.cause())).increment();
  }

  @Override
  public void onFlushed(FlushResult<?, ?> result, Duration took) {
    for (Bound b : bound) {
      b.flush.record(took);
    }
  }

  @Override
  public void onTokenGenerated(String region, Instant expiresAt) {
    tokensSigned.increment();
  }

  @Override
  public void onTokenFailed(MskAuthenticationException cause) {
    tokensFailed.increment();
  }

  @Override
  public void onRetry(String topic, int attempt, Duration wait, MskProducerException cause) {
    retries.increment();
  }

  @Override
  public void onRestarted(int attempt, Duration wait, MskAuthenticationException cause) {
    restarts.increment();
  }

  @Override
  public void onKafkaProducerStarted(KafkaProducerHandle started) {
    synchronized (kafkaLock) {
      if (closed) {
        return;
      }
      kafka = started;
      for (Bound b : bound) {
        if (b.kafkaMetrics != null) {
          b.kafkaMetrics.close(); // the previous producer's, whether or not it closed yet
        }
        b.kafkaMetrics = kafkaMetrics(started, b.registry);
      }
    }
  }

  @Override
  public void onKafkaProducerClosed(KafkaProducerHandle stopped) {
    synchronized (kafkaLock) {
      if (kafka != stopped) {
        return; // an older one, whose meters were replaced already
      }
      kafka = null;
      for (Bound b : bound) {
        if (b.kafkaMetrics != null) {
          b.kafkaMetrics.close();
          b.kafkaMetrics = null;
        }
      }
    }
  }

  /**
   * Removes every meter this binder registered and stops following the producer. Idempotent.
   */
  @Override
  public void close() {
    synchronized (kafkaLock) {
      if (closed) {
        return;
      }
      closed = true;
      kafka = null;
      for (Bound b : bound) {
        if (b.kafkaMetrics != null) {
          b.kafkaMetrics.close();
          b.kafkaMetrics = null;
        }
        b.meters.forEach(b.registry::remove);
      }
      bound.clear();
    }
  }

  // ------------------------------------------------------------------ helpers

  private LongAdder failed(String reason) {
    return failed.computeIfAbsent(reason, r -> new LongAdder());
  }

  /** The {@code reason} tag of a failure: its kind in the SDK's exception hierarchy. */
  static String reason(Throwable cause) {
    if (cause instanceof MskAuthenticationException) {
      return "authentication";
    }
    if (cause instanceof MskAuthorizationException) {
      return "authorization";
    }
    if (cause instanceof MskConfigurationException) {
      return "configuration";
    }
    if (cause instanceof MskProducerClosedException) {
      return "closed";
    }
    if (cause instanceof MskDeliveryException) {
      return "delivery";
    }
    return "other";
  }

  /**
   * Micrometer's Kafka binder over the running producer. It reads nothing but {@code metrics()}:
   * a view of the producer that answers only that keeps the binder from ever sending, and from
   * holding the producer once re-bound.
   */
  private KafkaClientMetrics kafkaMetrics(KafkaProducerHandle handle, MeterRegistry registry) {
    Producer<?, ?> metricsOnly =
        (Producer<?, ?>)
            Proxy.newProxyInstance(
                MskProducerMetrics.class.getClassLoader(),
                new Class<?>[] {Producer.class},
                (proxy, method, args) -> {
                  switch (method.getName()) {
                    case "metrics":
                      return handle.metrics();
                    case "toString":
                      return handle.toString();
                    case "hashCode":
                      return System.identityHashCode(proxy);
                    case "equals":
                      return proxy == args[0];
                    default:
                      throw new UnsupportedOperationException(
                          "a metrics view of " + handle + " only reads metrics");
                  }
                });
    KafkaClientMetrics m = new KafkaClientMetrics(metricsOnly, tags);
    m.bindTo(registry);
    return m;
  }
}
