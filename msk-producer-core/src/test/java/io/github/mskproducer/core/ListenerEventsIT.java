package io.github.mskproducer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.LocalMskBrokerExtension;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The events integrations are built on (metrics, tracing), from a real producer against the
 * local broker: each record's send and outcome, flushes, tokens, the Kafka producer's start and
 * close; and the Kafka producer wrapper.
 */
@ExtendWith(LocalMskBrokerExtension.class)
class ListenerEventsIT {
  private final LocalMskBroker msk;

  ListenerEventsIT(LocalMskBroker msk) {
    this.msk = msk;
  }

  /** Records every event as a line. */
  static final class Recorder implements MskProducerListener {
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<KafkaProducerHandle> handles = new CopyOnWriteArrayList<>();

    @Override
    public void onSent(String topic) {
      events.add("sent " + topic);
    }

    @Override
    public void onAcknowledged(RecordMetadata metadata, Duration latency) {
      events.add("acknowledged " + metadata.topic() + (latency.isNegative() ? " negative" : ""));
    }

    @Override
    public void onSendFailed(FailedRecord<?, ?> failed) {
      events.add("failed " + failed.record().topic() + " " + failed.cause().getClass().getSimpleName());
    }

    @Override
    public void onFlushed(FlushResult<?, ?> result, Duration took) {
      events.add("flushed " + result.acknowledged());
    }

    @Override
    public void onTokenGenerated(String region, java.time.Instant expiresAt) {
      events.add("token");
    }

    @Override
    public void onKafkaProducerStarted(KafkaProducerHandle kafka) {
      handles.add(kafka);
      events.add("kafka started " + kafka.clientId());
    }

    @Override
    public void onKafkaProducerClosed(KafkaProducerHandle kafka) {
      events.add("kafka closed " + kafka.clientId() + (handles.contains(kafka) ? "" : " unknown"));
    }
  }

  @Test
  void everyRecordIsSentThenAcknowledged_flushesAndTheKafkaProducersLifeAreHeard() throws Exception {
    msk.createTopic("events-orders", 1);
    Recorder r = new Recorder();
    try (MskProducer<String, String> producer =
        LocalMsk.producer(msk).clientId("events").listener(r).build()) {
      for (int i = 0; i < 5; i++) {
        producer.send("events-orders", "k", "v" + i);
      }
      assertThat(producer.flush(Duration.ofSeconds(30)).acknowledged()).isEqualTo(5);
      KafkaProducerHandle handle = r.handles.get(0);
      assertThat(handle.metrics().keySet())
          .as("the handle reads the running Kafka producer's metrics")
          .anyMatch(n -> n.name().equals("record-send-total"));
    }
    assertThat(r.events.stream().filter(e -> e.equals("sent events-orders"))).hasSize(5);
    assertThat(r.events.stream().filter(e -> e.equals("acknowledged events-orders"))).hasSize(5);
    assertThat(r.events).contains("token", "flushed 5", "kafka started events");
    assertThat(r.events.get(r.events.size() - 1)).isEqualTo("kafka closed events");
    assertThat(r.events.indexOf("kafka started events")).isLessThan(r.events.indexOf("acknowledged events-orders"));
  }

  @Test
  void recordsFailedByClose_areHeardAsFailed() throws Exception {
    Recorder r = new Recorder();
    // A topic that does not exist, with retries for longer than the close waits: the send is
    // still in its retry when close() fails it.
    try (MskProducer<String, String> producer =
        LocalMsk.producer(msk)
            .retry(p -> p.maxElapsed(Duration.ofSeconds(60)))
            .listener(r)
            .build()) {
      assertThat(producer.awaitReady(Duration.ofSeconds(30))).isTrue();
      producer.send("events-missing-topic", "k", "never");
      producer.close(Duration.ZERO);
    }
    assertThat(r.events).contains("sent events-missing-topic");
    assertThat(r.events.stream().filter(e -> e.startsWith("failed events-missing-topic")))
        .as("failed once, by close()")
        .hasSize(1);
  }

  @Test
  void aSendAfterClose_isHeardAsSentThenFailed_soThatNothingLooksMorePendingThanSent() throws Exception {
    Recorder r = new Recorder();
    MskProducer<String, String> producer = LocalMsk.producer(msk).listener(r).build();
    producer.close();
    CompletableFuture<RecordMetadata> f = producer.send("events-after-close", "k", "v");

    assertThat(f).isCompletedExceptionally();
    assertThat(r.events)
        .containsSubsequence("sent events-after-close", "failed events-after-close MskProducerClosedException");
  }

  @Test
  void aSendWhileTheStartFailed_isSentThenFailed_andTheTokenFailureIsHeard() {
    Recorder r = new Recorder();
    List<String> tokenFailures = new CopyOnWriteArrayList<>();
    try (MskProducer<String, String> producer =
        MskProducer.builder(String.class, String.class)
            .bootstrapServers(msk.bootstrapServers())
            .region(msk.region())
            .truststore(msk.truststorePem())
            .auth(
                MskAuth.iam(
                    c ->
                        c.credentialsProvider(
                            () -> {
                              throw new IllegalStateException("no credentials here");
                            })))
            .listener(r)
            .listener(
                new MskProducerListener() {
                  @Override
                  public void onTokenFailed(MskAuthenticationException cause) {
                    tokenFailures.add(cause.reason().name());
                  }
                })
            .build()) {
      assertThatThrownBy(() -> producer.awaitReady(Duration.ofSeconds(30)))
          .isInstanceOf(MskAuthenticationException.class);
      producer.send("events-orders", "k", "v");
      FlushResult<String, String> flush = producer.flush(Duration.ofSeconds(5));
      assertThat(flush.failed()).hasSize(1);
    }
    assertThat(tokenFailures).containsExactly("NO_CREDENTIALS");
    assertThat(r.events).containsSubsequence("sent events-orders", "failed events-orders MskAuthenticationException");
    assertThat(r.events).noneMatch(e -> e.startsWith("kafka started"));
  }

  /** A wrapper as tracing makes one: a proxy of the Producer interface that counts sends. */
  @SuppressWarnings("unchecked")
  private static <K, V> Producer<K, V> counting(Producer<K, V> kafka, AtomicInteger sends) {
    return (Producer<K, V>)
        Proxy.newProxyInstance(
            ListenerEventsIT.class.getClassLoader(),
            new Class<?>[] {Producer.class},
            (proxy, method, args) -> {
              if (method.getName().equals("send")) {
                sends.incrementAndGet();
              }
              try {
                return method.invoke(kafka, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  @Test
  void theInstrumentation_wrapsTheKafkaProducerThatSends_andANullWrapperIsATypedError() throws Exception {
    msk.createTopic("events-wrapped", 1);
    AtomicInteger wrapped = new AtomicInteger();
    AtomicInteger sentThroughWrapper = new AtomicInteger();
    try (MskProducer<String, String> producer =
        LocalMsk.producer(msk)
            .instrument(
                new ProducerInstrumentation() {
                  @Override
                  public <K, V> Producer<K, V> wrap(Producer<K, V> kafka) {
                    wrapped.incrementAndGet();
                    return counting(kafka, sentThroughWrapper);
                  }
                })
            .build()) {
      producer.send("events-wrapped", "k", "v").get(30, TimeUnit.SECONDS);
      Map<String, Object> props = producer.producerProperties();
      assertThat(props)
          .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
          .containsKey(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)
          .containsKey("sasl.jaas.config")
          .doesNotContainKey(ProducerConfig.CLIENT_ID_CONFIG);
    }
    assertThat(wrapped).hasValue(1);
    assertThat(sentThroughWrapper).hasValue(1);

    try (MskProducer<String, String> producer =
        LocalMsk.producer(msk)
            .instrument(
                new ProducerInstrumentation() {
                  @Override
                  public <K, V> Producer<K, V> wrap(Producer<K, V> kafka) {
                    return null;
                  }
                })
            .build()) {
      assertThatThrownBy(() -> producer.awaitReady(Duration.ofSeconds(30)))
          .isInstanceOf(MskConfigurationException.class)
          .hasMessageContaining("returned null from wrap");
    }
  }
}
