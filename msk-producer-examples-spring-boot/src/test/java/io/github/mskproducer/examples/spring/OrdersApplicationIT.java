package io.github.mskproducer.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.TestIdentity;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The example service as it runs: application.yml, the starter, a real web server, a real
 * broker over IAM and TLS; an HTTP request becomes a record a plain consumer reads, with the
 * trace id of the span exported for it; Actuator shows health and the producer's meters.
 */
class OrdersApplicationIT {
  private static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();
  private static LocalMskBroker msk;
  private static ConfigurableApplicationContext app;
  private static String base;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** The application's tracing: in memory here, OTLP or X-Ray in production. */
  @Configuration(proxyBeanMethods = false)
  static class InMemoryTracing {
    @Bean
    OpenTelemetry openTelemetry() {
      return OpenTelemetrySdk.builder()
          .setTracerProvider(
              SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(SPANS)).build())
          .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
          .build();
    }
  }

  @BeforeAll
  static void start() {
    msk = LocalMskBroker.builder().identity(TestIdentity.random("orders-service")).topic("orders", 3).start();
    Map<String, Object> props = new java.util.LinkedHashMap<>(OrdersApplication.localBroker(msk, "orders-service"));
    props.put("server.port", "0");
    props.put("msk.producer.health.timeout", "30s"); // generous on a busy machine
    app =
        new SpringApplicationBuilder(OrdersApplication.class, InMemoryTracing.class)
            .properties(props)
            .run();
    int port = ((WebServerApplicationContext) app).getWebServer().getPort();
    base = "http://localhost:" + port;
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
    if (msk != null) {
      msk.close();
    }
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void anOrderPosted_isARecordOnTheTopic_tracedAndCounted_andHealthIsUp() throws Exception {
    HttpResponse<String> posted =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/orders"))
                .header("content-type", "application/json")
                .header("order-id", "o-1")
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"o-1\",\"amount\":42}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
    assertThat(posted.body()).contains("\"offset\":0");

    List<ConsumerRecord<String, String>> read = msk.read("orders", 1, Duration.ofSeconds(30));
    assertThat(read).hasSize(1);
    assertThat(read.get(0).key()).isEqualTo("o-1");
    assertThat(read.get(0).value()).isEqualTo("{\"id\":\"o-1\",\"amount\":42}");
    List<SpanData> producerSpans =
        SPANS.getFinishedSpanItems().stream().filter(s -> s.getKind() == SpanKind.PRODUCER).toList();
    assertThat(producerSpans).hasSize(1);
    String traceparent = new String(read.get(0).headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8);
    assertThat(traceparent).contains(producerSpans.get(0).getTraceId());

    HttpResponse<String> health = get("/actuator/health");
    assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
    assertThat(health.body()).contains("\"mskProducer\"").contains("\"status\":\"UP\"");

    HttpResponse<String> acked = get("/actuator/metrics/msk.producer.records.acknowledged");
    assertThat(acked.statusCode()).as(acked.body()).isEqualTo(200);
    assertThat(acked.body()).contains("\"value\":1.0");
    assertThat(get("/actuator/metrics/kafka.producer.record.send.total").statusCode()).isEqualTo(200);
  }
}
