package io.github.mskproducer.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mskproducer.core.FlushResult;
import io.github.mskproducer.core.MskProducer;
import io.github.mskproducer.lambda.LambdaProducer;
import io.github.mskproducer.lambda.RecycleReason;
import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.LocalMskBrokerExtension;
import io.github.mskproducer.testkit.TestLambdaContext;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The meters, read from a real registry, of producers talking to the local broker. */
class MskProducerMetricsIT {
  @RegisterExtension
  static final LocalMskBrokerExtension MSK =
      LocalMskBrokerExtension.perClass(
          b -> b.topic("metrics-orders", 3).topic("metrics-denied", 1).topic("metrics-lambda", 1));

  private static final Duration WAIT = Duration.ofSeconds(30);

  private static double counter(SimpleMeterRegistry registry, String name, String... tags) {
    return registry.get(name).tags(tags).functionCounter().count();
  }

  @Test
  void recordsLatencyFlushesAndTokens_areCounted_andKafkasOwnMetricsAreBound() {
    LocalMskBroker msk = MSK.broker();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    MskProducerMetrics metrics = MskProducerMetrics.create(Tags.of("producer", "orders"));
    try (MskProducer<String, String> producer =
        MskProducer.builder(String.class, String.class)
            .fromEnvironment(msk.environment())
            .listener(metrics)
            .build()) {
      // After build(): the start's first token, signed before the binding, still counts.
      metrics.bindTo(registry);
      for (int i = 0; i < 20; i++) {
        producer.send("metrics-orders", "k" + i, "v" + i);
      }
      FlushResult<String, String> flush = producer.flush(WAIT);
      assertThat(flush.acknowledged()).isEqualTo(20);

      assertThat(counter(registry, "msk.producer.records.sent", "producer", "orders")).isEqualTo(20);
      assertThat(counter(registry, "msk.producer.records.acknowledged")).isEqualTo(20);
      assertThat(counter(registry, "msk.producer.records.failed", "reason", "authorization")).isZero();
      assertThat(registry.get("msk.producer.records.pending").gauge().value()).isZero();
      Timer latency = registry.get("msk.producer.send.latency").timer();
      assertThat(latency.count()).isEqualTo(20);
      assertThat(latency.takeSnapshot().percentileValues())
          .extracting(ValueAtPercentile::percentile)
          .containsExactly(0.5, 0.95, 0.99);
      assertThat(registry.get("msk.producer.flush").timer().count()).isEqualTo(1);
      assertThat(counter(registry, "msk.producer.tokens", "result", "signed")).isGreaterThanOrEqualTo(1);
      assertThat(counter(registry, "msk.producer.tokens", "result", "failed")).isZero();

      // Kafka's own metrics, of the running Kafka producer, with our tags (final once flushed).
      assertThat(kafkaSendTotal(registry)).as("kafka.producer.record.send.total").isEqualTo(20);
      assertThat(registry.get("kafka.producer.record.send.total").tags("producer", "orders").meters())
          .isNotEmpty();
    }
    assertThat(registry.find("kafka.producer.record.send.total").meters())
        .as("Kafka's meters go with the Kafka producer")
        .isEmpty();
    assertThat(counter(registry, "msk.producer.records.acknowledged")).as("ours stay").isEqualTo(20);
    metrics.close();
    assertThat(registry.find("msk.producer.records.sent").meters()).as("close removes them").isEmpty();
  }

  @Test
  void failures_areCountedByReason_andPendingReturnsToZero() {
    LocalMskBroker msk = MSK.broker();
    msk.deny(
        msk.identity().name(),
        AclOperation.WRITE,
        new ResourcePattern(ResourceType.TOPIC, "metrics-denied", PatternType.LITERAL));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    MskProducerMetrics metrics = MskProducerMetrics.create();
    metrics.bindTo(registry);
    try (MskProducer<String, String> producer =
        MskProducer.builder(String.class, String.class)
            .fromEnvironment(msk.environment())
            .listener(metrics)
            .build()) {
      producer.send("metrics-denied", "k", "refused");
      producer.send("metrics-orders", "k", "fine");
      FlushResult<String, String> flush = producer.flush(WAIT);
      assertThat(flush.failed()).hasSize(1);

      assertThat(counter(registry, "msk.producer.records.failed", "reason", "authorization")).isEqualTo(1);
      assertThat(counter(registry, "msk.producer.records.acknowledged")).isEqualTo(1);
      assertThat(counter(registry, "msk.producer.records.sent")).isEqualTo(2);
      assertThat(metrics.pending()).isZero();
    } finally {
      msk.clearAcls();
      metrics.close();
    }
  }

  @Test
  void lambdaRecycles_areCountedByReason_andKafkasMetricsFollowTheNewProducer() throws Exception {
    LocalMskBroker msk = MSK.broker();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    LambdaProducerMetrics metrics = LambdaProducerMetrics.create();
    metrics.bindTo(registry);
    TestLambdaContext context = TestLambdaContext.builder().functionName("metrics-fn").build();
    try (LambdaProducer<String, String> producer =
        LambdaProducer.builder(String.class, String.class)
            .environment(Map.of("AWS_LAMBDA_FUNCTION_NAME", "metrics-fn"))
            .snapStart(false)
            .shutdownHook(false)
            .maxAge(Duration.ofMillis(1)) // every invocation runs on a fresh Kafka producer
            .listener(metrics)
            .producer(b -> b.fromEnvironment(msk.environment()))
            .build()) {
      producer.invoke(
          context,
          inv -> {
            for (int i = 0; i < 5; i++) {
              inv.send("metrics-lambda", "k", "first-" + i);
            }
            return null;
          });
      assertThat(kafkaSendTotal(registry)).isEqualTo(5);

      producer.invoke(
          context.next(),
          inv -> {
            for (int i = 0; i < 3; i++) {
              inv.send("metrics-lambda", "k", "second-" + i);
            }
            return null;
          });
      // The second invocation's producer is fresh because of its age; the first one's is the one
      // built with the LambdaProducer (FIRST_USE), or a fresh one if that was already too old.
      double maxAge = counter(registry, "msk.producer.lambda.recycles", "reason", RecycleReason.MAX_AGE.name());
      double firstUse = counter(registry, "msk.producer.lambda.recycles", "reason", RecycleReason.FIRST_USE.name());
      assertThat(maxAge).isGreaterThanOrEqualTo(1);
      assertThat(maxAge + firstUse).isEqualTo(2);
      assertThat(counter(registry, "msk.producer.records.acknowledged"))
          .as("our counters run on across the recycle")
          .isEqualTo(8);
      // Kafka's meters now read the fresh producer (3 records), not the closed one (5).
      assertThat(kafkaSendTotal(registry)).isEqualTo(3);
      assertThat(registry.get("msk.producer.flush").timer().count()).isEqualTo(2);
      metrics.bindTo(registry); // a second binding to the same registry counts nothing twice
      producer.invoke(
          context.next(),
          inv -> {
            inv.send("metrics-lambda", "k", "third");
            return null;
          });
      assertThat(registry.get("msk.producer.send.latency").timers()).hasSize(1);
      assertThat(registry.get("msk.producer.send.latency").timer().count()).isEqualTo(9);
      assertThat(registry.get("msk.producer.flush").timer().count()).as("one more flush, once").isEqualTo(3);
      assertThat(counter(registry, "msk.producer.records.acknowledged")).isEqualTo(9);
    } finally {
      metrics.close();
    }
  }

  /** Kafka's record-send-total of the producer metrics bound now; -1 if none is bound. */
  private static double kafkaSendTotal(SimpleMeterRegistry registry) {
    double total = -1;
    for (Meter m : registry.find("kafka.producer.record.send.total").meters()) {
      if (m instanceof FunctionCounter) {
        total = Math.max(total, 0) + ((FunctionCounter) m).count();
      }
    }
    return total;
  }
}
