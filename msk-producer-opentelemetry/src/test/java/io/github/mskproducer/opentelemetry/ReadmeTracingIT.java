package io.github.mskproducer.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mskproducer.core.MskProducer;
import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.LocalMskBrokerExtension;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The README's OpenTelemetry example, run against the local broker. */
class ReadmeTracingIT {
  @RegisterExtension
  static final LocalMskBrokerExtension MSK = LocalMskBrokerExtension.perClass(b -> b.topic("orders", 1));

  @Test
  void theReadmeExample_tracesTheRecord_andTheConsumerSeesTheTrace() throws Exception {
    LocalMskBroker msk = MSK.broker();
    Map<String, String> environment = msk.environment();
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    String traceId;
    try (OpenTelemetrySdk sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build()) {
      OpenTelemetry openTelemetry = sdk;
      // README:start
      MskProducerTracing tracing = MskProducerTracing.create(openTelemetry);
      try (MskProducer<String, String> producer =
          MskProducer.builder(String.class, String.class)
              .fromEnvironment(environment)
              .instrument(tracing) // every Kafka producer, also after restarts
              .build()) {
        producer.send("orders", "order-1", "{\"amount\":42}").get(); // span "orders publish"
      }
      // README:end
      assertThat(exporter.getFinishedSpanItems()).hasSize(1); // read before the SDK closes
      traceId = exporter.getFinishedSpanItems().get(0).getTraceId();
    }
    ConsumerRecord<String, String> read = msk.read("orders", 1, Duration.ofSeconds(30)).get(0);
    assertThat(new String(read.headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8))
        .contains(traceId);
  }
}
