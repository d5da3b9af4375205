package io.github.mskproducer.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mskproducer.core.MskProducer;
import io.github.mskproducer.lambda.LambdaProducer;
import io.github.mskproducer.lambda.RecycleReason;
import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.LocalMskBrokerExtension;
import io.github.mskproducer.testkit.TestLambdaContext;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Spans read from OpenTelemetry's in-memory exporter, and the {@code traceparent} header read
 * by a plain consumer, for records sent to the local broker.
 */
class MskProducerTracingIT {
  @RegisterExtension
  static final LocalMskBrokerExtension MSK =
      LocalMskBrokerExtension.perClass(b -> b.topic("traced-orders", 1).topic("traced-lambda", 1));

  private static final Duration WAIT = Duration.ofSeconds(30);

  private InMemorySpanExporter exporter;
  private OpenTelemetrySdk otel;

  @BeforeEach
  void openTelemetry() {
    exporter = InMemorySpanExporter.create();
    otel =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
  }

  @AfterEach
  void close() {
    otel.close();
  }

  private List<SpanData> producerSpans() {
    return exporter.getFinishedSpanItems().stream()
        .filter(s -> s.getKind() == SpanKind.PRODUCER)
        .collect(Collectors.toList());
  }

  private static String traceparent(ConsumerRecord<String, String> record) {
    Header h = record.headers().lastHeader("traceparent");
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  @Test
  void eachRecord_getsAProducerSpan_underTheCallersSpan_andItsTraceparentReachesAConsumer() {
    LocalMskBroker msk = MSK.broker();
    MskProducerTracing tracing = MskProducerTracing.create(otel);
    Tracer tracer = otel.getTracer("test");
    String traceId;
    String parentSpanId;
    try (MskProducer<String, String> producer =
        MskProducer.builder(String.class, String.class)
            .fromEnvironment(msk.environment())
            .instrument(tracing)
            .build()) {
      Span request = tracer.spanBuilder("POST /orders").startSpan();
      try (Scope ignored = request.makeCurrent()) {
        producer.send("traced-orders", "order-1", "{\"id\":1}");
      } finally {
        request.end();
      }
      traceId = request.getSpanContext().getTraceId();
      parentSpanId = request.getSpanContext().getSpanId();
      assertThat(producer.flush(WAIT).acknowledged()).isEqualTo(1);
    }

    List<SpanData> spans = producerSpans();
    assertThat(spans).hasSize(1);
    SpanData span = spans.get(0);
    assertThat(span.getName()).isEqualTo("traced-orders publish");
    assertThat(span.getTraceId()).isEqualTo(traceId);
    assertThat(span.getParentSpanId()).isEqualTo(parentSpanId);
    assertThat(span.getAttributes().get(AttributeKey.stringKey("messaging.system"))).isEqualTo("kafka");
    assertThat(span.getAttributes().get(AttributeKey.stringKey("messaging.destination.name")))
        .isEqualTo("traced-orders");
    assertThat(span.hasEnded()).isTrue();

    List<ConsumerRecord<String, String>> read = msk.read("traced-orders", 1, WAIT);
    assertThat(read).hasSize(1);
    assertThat(traceparent(read.get(0)))
        .as("W3C traceparent: version-traceid-spanid-flags, the producer span's")
        .isEqualTo(
            "00-" + traceId + "-" + span.getSpanId() + "-" + span.getSpanContext().getTraceFlags().asHex());
  }

  @Test
  void inLambda_theInvocationsXrayTrace_isTheParent_andTracingSurvivesARecycle() {
    LocalMskBroker msk = MSK.broker();
    MskProducerTracing tracing = MskProducerTracing.create(otel);
    String xrayRoot = "1-5759e988-bd862e3fe1be46a994272793";
    String xrayParent = "53995c3f42cd8ad8";
    TestLambdaContext context =
        TestLambdaContext.builder()
            .functionName("traced-fn")
            .xrayTraceId("Root=" + xrayRoot + ";Parent=" + xrayParent + ";Sampled=1")
            .build();
    Map<String, String> environment = msk.environment();
    try (LambdaProducer<String, String> producer =
        // README:start
        LambdaProducer.builder(String.class, String.class)
            .producer(b -> b.fromEnvironment(environment))
            .instrument(tracing) // a span per record, after every recycle too
            .invocationScope(LambdaTracing.xrayParent()) // parent: the invocation's X-Ray trace
            // README:end
            .environment(Map.of("AWS_LAMBDA_FUNCTION_NAME", "traced-fn"))
            .snapStart(false)
            .shutdownHook(false)
            .maxAge(Duration.ofMillis(1)) // the second invocation runs on a fresh Kafka producer
            .build()) {
      producer.invoke(context, inv -> inv.send("traced-lambda", "k", "first"));
      var second = producer.invoke(context.next(), inv -> inv.send("traced-lambda", "k", "second"));
      assertThat(second.recycled()).contains(RecycleReason.MAX_AGE);
      assertThat(second.flush().acknowledged()).isEqualTo(1);
    }

    String traceId = xrayRoot.substring(2).replace("-", "");
    List<SpanData> spans = producerSpans();
    assertThat(spans).hasSize(2);
    assertThat(spans)
        .allSatisfy(
            s -> {
              assertThat(s.getTraceId()).isEqualTo(traceId);
              assertThat(s.getParentSpanId()).isEqualTo(xrayParent);
            });
    List<ConsumerRecord<String, String>> read = msk.read("traced-lambda", 2, WAIT);
    assertThat(read).hasSize(2);
    assertThat(read).allSatisfy(r -> assertThat(traceparent(r)).contains(traceId));
    assertThat(Span.current().getSpanContext().isValid())
        .as("the invocation's scope was closed")
        .isFalse();
  }

  @Test
  void withoutAHeader_orUnderACurrentSpan_theLambdaScopeChangesNothing() throws Exception {
    assertThat(LambdaTracing.header(() -> null, null, "")).isNull();
    assertThat(LambdaTracing.header(() -> "Root=a", "Root=b")).isEqualTo("Root=a");
    assertThat(LambdaTracing.header(() -> " ", null, "Root=c")).isEqualTo("Root=c");
    io.opentelemetry.context.Context before = io.opentelemetry.context.Context.current();
    try (AutoCloseable scope = LambdaTracing.parentScope(null)) {
      assertThat(io.opentelemetry.context.Context.current()).as("no context made current").isSameAs(before);
    }
    Span outer = otel.getTracer("test").spanBuilder("outer").startSpan();
    try (Scope ignored = outer.makeCurrent();
        AutoCloseable scope =
            LambdaTracing.parentScope(
                "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1")) {
      assertThat(Span.current()).as("a current span stays the parent").isSameAs(outer);
    } finally {
      outer.end();
    }
  }
}
