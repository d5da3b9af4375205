package io.github.mskproducer.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import io.github.mskproducer.core.MskProducerBuilder;
import io.github.mskproducer.core.MskProducerConfig;
import io.github.mskproducer.core.MskProducerListener;
import io.github.mskproducer.core.ProducerInstrumentation;
import io.github.mskproducer.lambda.internal.Clock2;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;


/**
 * Configures a {@link LambdaProducer}. Its Lambda defaults for the Kafka producer (client id
 * from {@code AWS_LAMBDA_FUNCTION_NAME}, request timeout 5 s, delivery timeout 15 s, max
 * block 2 s, linger 5 ms, {@code connections.max.idle.ms} 240 s) fill only the options your
 * {@link #producer} or {@link #config} leaves unset.
 *
 * <p>The Lambda settings not set in code (here or in a {@link LambdaSettings}) are read from
 * the environment, so a SAM or CDK template tunes them without a new build: see {@link
 * LambdaSettings} for the variables. A bad value fails {@link #build()} with an {@code
 * MskConfigurationException} naming the variable.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class LambdaProducerBuilder<K, V> {
  final Supplier<MskProducerBuilder<K, V>> builders;
  Consumer<MskProducerBuilder<K, V>> userConfig = b -> {};
  // Unset settings come from the environment variables, else their defaults.
  LambdaSettings.Builder settings = LambdaSettings.builder();
  boolean snapStart = true;
  boolean shutdownHook = true;
  Map<String, String> env = System.getenv();
  final List<MskProducerListener> listeners = new ArrayList<>();
  final List<ProducerInstrumentation> instrumentations = new ArrayList<>();
  Function<Context, AutoCloseable> invocationScope;
  Clock2 clock = Clock2.SYSTEM;

  final Runnable closeSerializers;

  LambdaProducerBuilder(Supplier<MskProducerBuilder<K, V>> builders, Runnable closeSerializers) {
    this.builders = builders;
    this.closeSerializers = closeSerializers;
  }

  /**
   * Configures the Kafka producer (bootstrap servers, auth, ...). The Lambda defaults apply
   * only to the options this leaves unset. Called again for every fresh producer. Replaces
   * {@link #config(MskProducerConfig)}.
   *
   * @param config sets the producer's options, e.g. {@code b -> b.fromEnvironment()}
   * @return this builder
   */
  public LambdaProducerBuilder<K, V> producer(Consumer<MskProducerBuilder<K, V>> config) {
    this.userConfig = Objects.requireNonNull(config, "producer");
    return this;
  }

  /**
   * The Kafka producer's configuration. The Lambda defaults apply only to the options it
   * leaves unset (see {@link MskProducerConfig}). Replaces {@link #producer(Consumer)}.
   *
   * @param config the producer's options
   * @return this builder
   */
  public LambdaProducerBuilder<K, V> config(MskProducerConfig config) {
    Objects.requireNonNull(config, "config");
    this.userConfig = b -> b.config(config);
    return this;
  }

  /**
   * Hears every producer's token, retry, failure and close events (each recycle makes a new
   * producer); a {@link LambdaProducerListener} also hears each recycle. May be called more
   * than once.
   *
   * @param listener the listener
   * @return this builder
   */
  public LambdaProducerBuilder<K, V> listener(MskProducerListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return this;
  }

  /**
   * Instruments every Kafka producer (each recycle makes a new one), e.g. with OpenTelemetry's
   * tracing; see {@link MskProducerBuilder#instrument}. May be called more than once.
   *
   * @param instrumentation the instrumentation
   * @return this builder
   */
  public LambdaProducerBuilder<K, V> instrument(ProducerInstrumentation instrumentation) {
    instrumentations.add(Objects.requireNonNull(instrumentation, "instrumentation"));
    return this;
  }

  /**
   * Opens a scope around each invocation: before the function runs, on the invocation's
   * thread, and closed after its records were flushed. For tracing, e.g. {@code
   * msk-producer-opentelemetry}'s X-Ray parent, so that the records' spans join the
   * invocation's trace. An exception from opening it fails the invocation before the function
   * runs; one from closing it is logged. Default: none.
   *
   * @param scope opens the scope for an invocation's context
   * @return this builder
   */
  public LambdaProducerBuilder<K, V> invocationScope(Function<Context, AutoCloseable> scope) {
    this.invocationScope = Objects.requireNonNull(scope, "invocationScope");
    return this;
  }

  /**
   * Replaces the Lambda settings with these (setters called after this change them).
   *
   * @param settings the settings; those unset come from the environment, else defaults
   * @return this builder
   */
  public LambdaProducerBuilder<K, V> settings(LambdaSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings").toBuilder();
    return this;
  }

  /**
   * See {@link LambdaSettings.Builder#thawThreshold}. Default 240 s.
   *
   * @param threshold positive
   * @return this builder
   */
  public LambdaProducerBuilder<K, V> thawThreshold(Duration threshold) {
    settings.thawThreshold(threshold);
    return this;
  }

  /**
   * See {@link LambdaSettings.Builder#maxAge}. Default one hour.
   *
   * @param maxAge positive
   * @return this builder
   */
  public LambdaProducerBuilder<K, V> maxAge(Duration maxAge) {
    settings.maxAge(maxAge);
    return this;
  }

  /**
   * See {@link LambdaSettings.Builder#flushMargin}. Default 500 ms.
   *
   * @param margin zero or positive
   * @return this builder
   */
  public LambdaProducerBuilder<K, V> flushMargin(Duration margin) {
    settings.flushMargin(margin);
    return this;
  }

  /**
   * See {@link LambdaSettings.Builder#prewarm}. Default none.
   *
   * @param topics the topics the function writes to
   * @return this builder
   */
  public LambdaProducerBuilder<K, V> prewarm(String... topics) {
    settings.prewarm(topics);
    return this;
  }

  /**
   * See {@link LambdaSettings.Builder#recordIdHeader}. Default off.
   *
   * @param enabled whether to add the header
   * @return this builder
   */
  public LambdaProducerBuilder<K, V> recordIdHeader(boolean enabled) {
    settings.recordIdHeader(enabled);
    return this;
  }

  /**
   * See {@link LambdaSettings.Builder#emitMetrics}. Default off.
   *
   * @param enabled whether to print metrics
   * @return this builder
   */
  public LambdaProducerBuilder<K, V> emitMetrics(boolean enabled) {
    settings.emitMetrics(enabled);
    return this;
  }

  /**
   * Registers the SnapStart (CRaC) hooks. Default on; harmless without SnapStart.
   *
   * @param enabled whether to register them
   * @return this builder
   */
  public LambdaProducerBuilder<K, V> snapStart(boolean enabled) {
    this.snapStart = enabled;
    return this;
  }

  /**
   * Registers a JVM shutdown hook that flushes (250 ms) and closes on SIGTERM. Default on.
   *
   * @param enabled whether to register it
   * @return this builder
   */
  public LambdaProducerBuilder<K, V> shutdownHook(boolean enabled) {
    this.shutdownHook = enabled;
    return this;
  }

  /**
   * The environment variables the function name ({@code AWS_LAMBDA_FUNCTION_NAME}) and the
   * Lambda settings not set in code ({@code MSK_LAMBDA_*}) are read from. Default the process
   * environment; a test passes its own.
   *
   * @param env variable names to values
   * @return this builder
   */
  public LambdaProducerBuilder<K, V> environment(Map<String, String> env) {
    this.env = Map.copyOf(Objects.requireNonNull(env, "environment"));
    return this;
  }

  /** For tests: the clocks. */
  LambdaProducerBuilder<K, V> clock(Clock2 clock) {
    this.clock = clock;
    return this;
  }

  /**
   * Builds the producer and starts its Kafka producer, waiting for the start at most {@link
   * LambdaProducer#INIT_READY_WAIT} (Lambda's init phase has 10 s); the first invocation's
   * sends wait for the rest. See {@link MskProducerBuilder#build()}.
   *
   * @return the Lambda producer
   * @throws io.github.mskproducer.core.MskConfigurationException if the configuration is
   *     wrong (naming the option, or the {@code MSK_LAMBDA_*} variable)
   * @throws io.github.mskproducer.core.MskProducerException if the start failed within that
   *     wait, e.g. {@code MskAuthenticationException} without credentials
   */
  public LambdaProducer<K, V> build() {
    return new LambdaProducer<>(this);
  }

}
