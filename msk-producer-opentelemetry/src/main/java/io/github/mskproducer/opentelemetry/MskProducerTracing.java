package io.github.mskproducer.opentelemetry;

import io.github.mskproducer.core.ProducerInstrumentation;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import io.opentelemetry.instrumentation.kafkaclients.v2_6.KafkaTelemetry;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.producer.Producer;

/**
 * Traces every record an {@code MskProducer} sends, with OpenTelemetry's own kafka-clients
 * instrumentation: a {@code PRODUCER} span per record ({@code "<topic> publish"}, with
 * OpenTelemetry's messaging attributes: {@code messaging.system=kafka}, the destination, the
 * client id, and once acknowledged the partition and offset), ended at the acknowledgement or
 * the failure, and the span's W3C {@code traceparent} in the record's headers so that a consumer
 * continues the trace. The span's parent is the context current on the thread that calls
 * {@code send}, also when the record reaches Kafka on another thread (the first send to a
 * topic, a retry).
 *
 * <pre>{@code
 * MskProducerTracing tracing = MskProducerTracing.create(openTelemetry);
 * MskProducer<String, String> producer = MskProducer.builder(String.class, String.class)
 *     .fromEnvironment()
 *     .instrument(tracing)
 *     .build();
 * }</pre>
 *
 * <p>It instruments every Kafka producer the SDK makes (after a start-up restart, and in Lambda
 * after each recycle: {@code LambdaProducerBuilder.instrument}), so tracing survives them. For Lambda, {@link LambdaTracing} makes the invocation's X-Ray trace
 * the parent. Headers are injected with the propagators of the {@code OpenTelemetry} given
 * (W3C trace context in most set-ups).
 */
public final class MskProducerTracing implements ProducerInstrumentation {
  private final KafkaTelemetry telemetry;

  private MskProducerTracing(KafkaTelemetry telemetry) {
    this.telemetry = telemetry;
  }

  /**
   * Tracing with this OpenTelemetry's tracer provider and propagators.
   *
   * @param openTelemetry e.g. {@code GlobalOpenTelemetry.get()} or the SDK you built
   * @return the tracing
   */
  public static MskProducerTracing create(OpenTelemetry openTelemetry) {
    return new MskProducerTracing(
        KafkaTelemetry.create(Objects.requireNonNull(openTelemetry, "openTelemetry")));
  }

  /**
   * Tracing with OpenTelemetry's instrumentation configured as you like (captured headers,
   * experimental attributes).
   *
   * @param telemetry the instrumentation
   * @return the tracing
   */
  public static MskProducerTracing of(KafkaTelemetry telemetry) {
    return new MskProducerTracing(Objects.requireNonNull(telemetry, "telemetry"));
  }

  /**
   * A tracing view of a Kafka producer.
   *
   * @param producer the Kafka producer
   * @param <K> the key type
   * @param <V> the value type
   * @return a producer that traces each send and passes every call on
   */
  @Override
  public <K, V> Producer<K, V> wrap(Producer<K, V> producer) {
    return telemetry.wrap(Objects.requireNonNull(producer, "producer"));
  }

  /**
   * The context current on the calling thread (the span {@code send} was called under), to be
   * the parent of the record's span wherever its Kafka send runs.
   *
   * @return runs a task in that context
   */
  @Override
  public UnaryOperator<Runnable> captureContext() {
    Context context = Context.current();
    return context::wrap;
  }

  @Override
  public String toString() {
    return "MskProducerTracing";
  }
}
