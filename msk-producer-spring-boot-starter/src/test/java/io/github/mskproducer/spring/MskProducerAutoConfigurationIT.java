package io.github.mskproducer.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mskproducer.core.MskConfigurationException;
import io.github.mskproducer.core.MskProducer;
import io.github.mskproducer.core.MskProducerConfig;
import io.github.mskproducer.micrometer.MskProducerMetrics;
import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.LocalMskBrokerExtension;
import io.github.mskproducer.testkit.TestIdentity;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Real Spring application contexts, configured by {@code msk.producer.*} properties only,
 * against the local broker over TLS with SigV4-signed IAM tokens.
 */
class MskProducerAutoConfigurationIT {
  @RegisterExtension
  static final LocalMskBrokerExtension MSK =
      LocalMskBrokerExtension.perClass(
          b -> b.identity(TestIdentity.random("spring-app")).topic("spring-orders", 1).topic("spring-traced", 1).topic("spring-yours", 1).topic("spring-meters", 1).topic("spring-default", 1).topic("spring-alone", 1).topic("spring-closing", 1));

  private static final Duration WAIT = Duration.ofSeconds(30);

  /** What an application.yml of msk.producer.* says to reach the local broker. */
  static List<String> properties(LocalMskBroker msk, String identity) {
    TestIdentity id = msk.identity(identity);
    List<String> p = new ArrayList<>();
    p.add("msk.producer.bootstrap-servers=" + msk.bootstrapServers());
    p.add("msk.producer.region=" + msk.region());
    p.add("msk.producer.truststore.pem=" + msk.truststorePem());
    p.add("msk.producer.auth.access-key-id=" + id.accessKeyId());
    p.add("msk.producer.auth.secret-access-key=" + id.secretAccessKey());
    p.add("msk.producer.client-id=spring-app");
    p.add("msk.producer.linger=2ms");
    p.add("msk.producer.timeouts.max-block=20s");
    return p;
  }

  private static ApplicationContextRunner runner() {
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(MskProducerAutoConfiguration.class))
        .withPropertyValues(properties(MSK.broker(), "spring-app").toArray(new String[0]));
  }

  @Test
  void theProducer_closesWithTheContext_afterItsRecordsInFlight() {
    List<MskProducer<String, String>> seen = new ArrayList<>();
    List<java.util.concurrent.CompletableFuture<?>> sent = new ArrayList<>();
    runner()
        .withPropertyValues("msk.producer.linger=200ms", "msk.producer.close-timeout=20s")
        .run(
            context -> {
              @SuppressWarnings("unchecked")
              MskProducer<String, String> producer = context.getBean(MskProducer.class);
              assertThat(producer.awaitReady(WAIT)).isTrue();
              seen.add(producer);
              for (int i = 0; i < 10; i++) {
                sent.add(producer.send("spring-closing", "k", "in flight at close " + i)); // not awaited
              }
            });
    // The context is closed: the producer with it, after its records in flight had an outcome.
    MskProducer<String, String> producer = seen.get(0);
    assertThat(producer.failure()).containsInstanceOf(io.github.mskproducer.core.MskProducerClosedException.class);
    assertThat(sent).allSatisfy(f -> assertThat(f).isCompleted());
    assertThat(MSK.broker().read("spring-closing", 10, WAIT)).hasSize(10);
  }

  @Test
  void properties_giveAnMskProducerAndAKafkaTemplate_bothDeliveringOverIam() {
    runner()
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              MskProducerConfig config = context.getBean(MskProducerConfig.class);
              assertThat(config.clientId()).contains("spring-app");
              assertThat(config.linger()).contains(Duration.ofMillis(2));
              assertThat(config.toString()).doesNotContain(MSK.broker().identity("spring-app").secretAccessKey());

              @SuppressWarnings("unchecked")
              MskProducer<String, String> producer = context.getBean(MskProducer.class);
              producer.send("spring-orders", "a", "from-msk-producer").get(30, TimeUnit.SECONDS);

              @SuppressWarnings("unchecked")
              KafkaTemplate<String, String> template = context.getBean(KafkaTemplate.class);
              assertThat(template.getProducerFactory()).isInstanceOf(MskKafkaProducerFactory.class);
              template.send("spring-orders", "b", "from-kafka-template").get(30, TimeUnit.SECONDS);
            });
    List<ConsumerRecord<String, String>> read = MSK.broker().read("spring-orders", 2, WAIT);
    assertThat(read)
        .extracting(ConsumerRecord::value)
        .containsExactlyInAnyOrder("from-msk-producer", "from-kafka-template");
  }

  @Test
  void aBadProperty_failsTheStart_namingTheProperty_andTheFailureAnalyzerSaysHowToFixIt() {
    runner()
        .withPropertyValues("msk.producer.linger=-5ms")
        .run(
            context -> {
              assertThat(context).hasFailed();
              Throwable root = context.getStartupFailure();
              MskConfigurationException e = find(root);
              assertThat(e.option()).isEqualTo("msk.producer.linger");
              assertThat(e.getMessage()).startsWith("msk.producer.linger: ").contains("-0.005");
              FailureAnalysis analysis = new MskProducerFailureAnalyzer().analyze(root);
              assertThat(analysis.getDescription()).contains("msk.producer.linger");
              assertThat(analysis.getAction()).contains("MSK_PRODUCER_LINGER");
            });
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(MskProducerAutoConfiguration.class))
        .withPropertyValues("msk.producer.region=us-east-1")
        .run(
            context -> {
              assertThat(context).hasFailed();
              MskConfigurationException e = find(context.getStartupFailure());
              assertThat(e.option())
                  .as("a cross-check at build() names the property too")
                  .isEqualTo("msk.producer.bootstrap-servers");
              assertThat(e.getMessage()).doesNotContain("spring.kafka");
            });
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(MskProducerAutoConfiguration.class))
        .withPropertyValues("spring.kafka.bootstrap-servers=${KAFKA_BROKERS_NOT_SET_ANYWHERE}", "msk.producer.region=us-east-1")
        .run(
            context -> {
              MskConfigurationException e = find(context.getStartupFailure());
              assertThat(e.option()).isEqualTo("msk.producer.bootstrap-servers");
              assertThat(e.getMessage())
                  .as("a project that wired Spring Kafka by hand is told what the starter reads,"
                      + " also when its value is a placeholder that does not resolve")
                  .contains("spring.kafka.bootstrap-servers is set, but msk-producer reads msk.producer.*")
                  .contains("msk.producer.bootstrap-servers=${spring.kafka.bootstrap-servers}");
            });
    runner()
        .withPropertyValues("msk.producer.auth.profile=dev")
        .run(
            context ->
                assertThat(find(context.getStartupFailure()).getMessage())
                    .contains("set one of them"));
  }

  @Test
  void withMicrometerAndOpenTelemetry_theProducerIsMeasuredAndTraced_andHealthIsUp() {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    List<SpanData> spans = new java.util.concurrent.CopyOnWriteArrayList<>();
    runner()
        .withBean(
            OpenTelemetry.class,
            () ->
                OpenTelemetrySdk.builder()
                    .setTracerProvider(
                        SdkTracerProvider.builder()
                            .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                            .build())
                    .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                    .build())
        .withUserConfiguration(Registry.class)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              SimpleMeterRegistry registry = context.getBean(SimpleMeterRegistry.class);
              context.getBean(MskProducerMetrics.class).bindTo(registry);
              @SuppressWarnings("unchecked")
              MskProducer<String, String> producer = context.getBean(MskProducer.class);
              producer.send("spring-traced", "k", "traced").get(30, TimeUnit.SECONDS);
              @SuppressWarnings("unchecked")
              KafkaTemplate<String, String> template = context.getBean(KafkaTemplate.class);
              // A copy with overrides keeps TLS and IAM (Spring Kafka's own copy would not).
              new KafkaTemplate<>(template.getProducerFactory(), Map.<String, Object>of("linger.ms", "1"))
                  .send("spring-traced", "t", "traced-template")
                  .get(30, TimeUnit.SECONDS);
              assertThat(registry.get("msk.producer.records.acknowledged").functionCounter().count())
                  .isEqualTo(1);

              Health health = context.getBean(MskProducerHealthIndicator.class).health();
              assertThat(health.getStatus()).as("%s", health.getDetails()).isEqualTo(Status.UP);
              // Read before the context closes the OpenTelemetry SDK (and its exporter).
              spans.addAll(
                  exporter.getFinishedSpanItems().stream()
                      .filter(s -> s.getKind() == SpanKind.PRODUCER)
                      .toList());
            });
    assertThat(spans).as("the producer's record and the template's").hasSize(2);
    List<ConsumerRecord<String, String>> read = MSK.broker().read("spring-traced", 2, WAIT);
    assertThat(read).hasSize(2);
    for (ConsumerRecord<String, String> r : read) {
      String traceparent = new String(r.headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8);
      assertThat(spans).anyMatch(s -> traceparent.contains(s.getTraceId()));
    }
  }

  @Test
  void springKafkasTemplateAndTransactionSettings_applyToTheStartersTemplate() {
    ch.qos.logback.classic.Logger log =
        (ch.qos.logback.classic.Logger)
            org.slf4j.LoggerFactory.getLogger(io.github.mskproducer.spring.internal.SpringKafkaSettings.class);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> warnings =
        new ch.qos.logback.core.read.ListAppender<>();
    warnings.start();
    log.addAppender(warnings);
    try {
      templateAndTransactionSettingsApply();
    } finally {
      log.detachAppender(warnings);
    }
    assertThat(MSK.broker().read("spring-default", 1, WAIT))
        .extracting(ConsumerRecord::value)
        .containsExactly("in-a-transaction");
    assertThat(warnings.list)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getLevel()).isEqualTo(ch.qos.logback.classic.Level.WARN);
              assertThat(e.getFormattedMessage())
                  .startsWith(
                      "spring.kafka.producer.acks set, but the KafkaTemplate's producers are configured from msk.producer.*");
            });
  }

  /**
   * The starter's factory and template take the place of Spring Boot's: what Boot would set on
   * its own (spring.kafka.template.*, the transaction id prefix, the listener) is set on them.
   */
  private void templateAndTransactionSettingsApply() {
    runner()
        .withConfiguration(AutoConfigurations.of(org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration.class))
        .withPropertyValues(
            "spring.kafka.template.default-topic=spring-default",
            "spring.kafka.producer.transaction-id-prefix=spring-tx-",
            "spring.kafka.producer.acks=1") // not read: msk.producer.acks is, and a WARN says so
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              @SuppressWarnings("unchecked")
              KafkaTemplate<String, String> template = context.getBean(KafkaTemplate.class);
              assertThat(template.getProducerFactory()).isInstanceOf(MskKafkaProducerFactory.class);
              assertThat(template.getDefaultTopic()).isEqualTo("spring-default");
              assertThat(template.isTransactional()).isTrue();
              assertThat(template.getProducerFactory().getTransactionIdPrefix()).isEqualTo("spring-tx-");
              assertThat(context.getBean(org.springframework.kafka.transaction.KafkaTransactionManager.class))
                  .as("Spring Boot's transaction manager, over the starter's factory")
                  .isNotNull();
              template
                  .executeInTransaction(t -> t.sendDefault("d", "in-a-transaction"))
                  .get(30, TimeUnit.SECONDS);
              // A copy with overrides keeps the transactions.
              assertThat(
                      template.getProducerFactory()
                          .copyWithConfigurationOverride(Map.of("linger.ms", "1"))
                          .getTransactionIdPrefix())
                  .isEqualTo("spring-tx-");
            });
  }

  @Test
  void withSpringKafkaAlone_withoutSpringBootsKafkaModule_theTemplateSettingsApplyToo() {
    runner()
        .withClassLoader(new FilteredClassLoader("org.springframework.boot.kafka"))
        .withPropertyValues("spring.kafka.template.default-topic=spring-alone")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              @SuppressWarnings("unchecked")
              KafkaTemplate<String, String> template = context.getBean(KafkaTemplate.class);
              assertThat(template.getDefaultTopic()).isEqualTo("spring-alone");
              template.sendDefault("d", "spring-kafka-alone").get(30, TimeUnit.SECONDS);
            });
    assertThat(MSK.broker().read("spring-alone", 1, WAIT))
        .extracting(ConsumerRecord::value)
        .containsExactly("spring-kafka-alone");
  }

  @Test
  void springBootsKafkaMetricsOfTheTemplate_leaveTheProducersKafkaMetricsInPlace() {
    // Spring Boot's Kafka metrics tag the template's producer with spring.id; Micrometer then
    // drops meters of the same name with fewer tags, from any client, unless ours have it too.
    runner()
        .withConfiguration(
            AutoConfigurations.of(org.springframework.boot.kafka.autoconfigure.metrics.KafkaMetricsAutoConfiguration.class))
        .withUserConfiguration(Registry.class)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              SimpleMeterRegistry registry = context.getBean(SimpleMeterRegistry.class);
              context.getBean(MskProducerMetrics.class).bindTo(registry);
              @SuppressWarnings("unchecked")
              MskProducer<String, String> producer = context.getBean(MskProducer.class);
              producer.send("spring-meters", "k", "from-the-producer").get(30, TimeUnit.SECONDS);
              assertThat(registry.find("kafka.producer.record.send.total").tag("client.id", "spring-app").meters())
                  .as("the producer's Kafka metrics")
                  .isNotEmpty();

              @SuppressWarnings("unchecked")
              KafkaTemplate<String, String> template = context.getBean(KafkaTemplate.class);
              template.send("spring-meters", "t", "from-the-template").get(30, TimeUnit.SECONDS);

              assertThat(registry.find("kafka.producer.record.send.total").tag("client.id", "spring-app-template-1").meters())
                  .as("the template's, by Spring Boot: %s", registry.find("kafka.producer.record.send.total").meters().stream().map(m -> m.getId().toString()).toList())
                  .isNotEmpty();
              assertThat(registry.find("kafka.producer.record.send.total").tag("client.id", "spring-app").meters())
                  .as("the producer's, still there")
                  .singleElement()
                  .satisfies(m -> assertThat(m.getId().getTag("spring.id")).isEqualTo("mskProducer"));
            });
  }

  @Test
  void eachBean_canBeReplaced_andTheStarterCanBeTurnedOff() {
    MskProducerConfig own =
        MskProducerConfig.builder().fromEnvironment(MSK.broker().environment()).clientId("own").build();
    runner()
        .withBean(MskProducerConfig.class, () -> own)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context.getBean(MskProducer.class).config().clientId()).contains("own");
            });
    runner()
        .withPropertyValues("msk.producer.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(MskProducer.class));
    runner()
        .withPropertyValues("management.health.msk-producer.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(MskProducerHealthIndicator.class));
  }

  @Test
  void withoutSpringKafkaMicrometerOrOpenTelemetry_theProducerStillStarts_andTheirBeansAreAbsent() {
    runner()
        .withClassLoader(
            new FilteredClassLoader(
                "org.springframework.kafka", "io.micrometer", "io.opentelemetry", "io.github.mskproducer.micrometer"))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).hasSingleBean(MskProducer.class);
              assertThat(context).doesNotHaveBean("kafkaTemplate");
              assertThat(context).doesNotHaveBean("mskProducerMetrics");
              assertThat(context).doesNotHaveBean("mskProducerTracingCustomizer");
            });
  }

  @Test
  void aProducerOfYourOwn_replacesTheStarters_andTheTemplateUsesIt() {
    runner()
        .withBean(
            "ordersProducer",
            MskProducer.class,
            () ->
                MskProducer.builder(String.class, String.class)
                    .fromEnvironment(MSK.broker().environment("spring-app"))
                    .clientId("yours")
                    .build())
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean("mskProducer");
              // Meters that would hear nothing of your producer (not its listener) are not made:
              // no dashboard reading zeros.
              assertThat(context).doesNotHaveBean(MskProducerMetrics.class);
              @SuppressWarnings("unchecked")
              KafkaTemplate<String, String> template = context.getBean(KafkaTemplate.class);
              template.send("spring-yours", "c", "from-your-producers-template").get(30, TimeUnit.SECONDS);
              assertThat(((MskKafkaProducerFactory<?, ?>) template.getProducerFactory())
                      .getConfigurationProperties())
                  .containsEntry("client.id", "yours-template");
            });
  }

  private static MskConfigurationException find(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof MskConfigurationException) {
        return (MskConfigurationException) c;
      }
    }
    throw new AssertionError("no MskConfigurationException in " + t, t);
  }

  @Configuration(proxyBeanMethods = false)
  static class Registry {
    @Bean
    SimpleMeterRegistry simpleMeterRegistry() {
      return new SimpleMeterRegistry();
    }
  }
}
