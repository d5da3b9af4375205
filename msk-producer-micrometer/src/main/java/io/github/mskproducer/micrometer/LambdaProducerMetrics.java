package io.github.mskproducer.micrometer;

import io.github.mskproducer.lambda.LambdaProducerListener;
import io.github.mskproducer.lambda.RecycleReason;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * {@link MskProducerMetrics} for a {@code LambdaProducer}, plus {@code
 * msk.producer.lambda.recycles} (counter, tag {@code reason}: the {@link RecycleReason}). Give
 * it to {@code LambdaProducerBuilder.listener(...)}: every Kafka producer a recycle makes
 * reports to it, so the counters run on across recycles and Kafka's client metrics follow the
 * new producer. Needs msk-producer-lambda on the class path.
 */
public final class LambdaProducerMetrics extends MskProducerMetrics
    implements LambdaProducerListener {
  private final Map<RecycleReason, LongAdder> recycles = new EnumMap<>(RecycleReason.class);

  private LambdaProducerMetrics(Tags tags) {
    super(tags);
    for (RecycleReason r : RecycleReason.values()) {
      recycles.put(r, new LongAdder());
    }
  }

  /**
   * Meters without extra tags.
   *
   * @return a new binder
   */
  public static LambdaProducerMetrics create() {
    return new LambdaProducerMetrics(Tags.empty());
  }

  /**
   * Meters with these tags.
   *
   * @param tags the tags of every meter
   * @return a new binder
   */
  public static LambdaProducerMetrics create(Iterable<Tag> tags) {
    return new LambdaProducerMetrics(Tags.of(Objects.requireNonNull(tags, "tags")));
  }

  @Override
  protected void bindMore(MeterRegistry registry, Consumer<Meter> meters) {
    recycles.forEach(
        (reason, count) ->
            meters.accept(
                FunctionCounter.builder(PREFIX + ".lambda.recycles", count, LongAdder::doubleValue)
                    .description("fresh Kafka producers made by the Lambda producer, by reason")
                    .tags(tags().and("reason", reason.name()))
                    .register(registry)));
  }

  @Override
  public void onRecycled(RecycleReason reason, String requestId) {
    recycles.get(reason).increment();
  }
}
