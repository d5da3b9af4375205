package io.github.mskproducer.lambda;

import io.github.mskproducer.testkit.TestLambdaContext;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.github.mskproducer.core.MskAuth;
import io.github.mskproducer.core.MskProducerListener;
import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.LocalMskBrokerExtension;
import io.github.mskproducer.testkit.TestIdentity;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Lambda producer against a real broker behind proxies that can drop connections. */
class LambdaProducerIT {
  @RegisterExtension
  static final LocalMskBrokerExtension MSK =
      LocalMskBrokerExtension.perClass(
          b ->
              b.proxied(true)
                  .topic("lambda-orders", 1)
                  .topic("lambda-headers", 1)
                  .topic("lambda-sqs", 1)
                  .topic("lambda-denied", 1)
                  .topic("lambda-pid", 1)
                  .topic("lambda-token", 1)
                  .topic("lambda-late-identity", 1)
                  .topic("lambda-init-hang", 1));

  private final ManualClock clock = new ManualClock();
  private final List<LambdaProducer<?, ?>> opened = new ArrayList<>();

  @AfterEach
  void close() {
    opened.forEach(LambdaProducer::close);
  }

  private LambdaProducerBuilder<String, String> builder(String identity, MskProducerListener listener) {
    return builder(MskAuth.iam(c -> c.credentialsProvider(MSK.broker().credentialsProvider(identity))), listener);
  }

  /** A Lambda producer of the local broker, authenticating as {@code auth} says. */
  private LambdaProducerBuilder<String, String> builder(MskAuth auth, MskProducerListener listener) {
    LocalMskBroker msk = MSK.broker();
    return LambdaProducer.builder(String.class, String.class)
        .environment(Map.of("AWS_LAMBDA_FUNCTION_NAME", "it-fn"))
        .clock(clock)
        .snapStart(false)
        .shutdownHook(false)
        .producer(
            b -> {
              b.bootstrapServers(msk.bootstrapServers())
                  .region(msk.region())
                  .truststore(msk.truststorePem())
                  .auth(auth);
              if (listener != null) {
                b.listener(listener);
              }
            });
  }

  private <T extends LambdaProducer<?, ?>> T open(T p) {
    opened.add(p);
    return p;
  }

  @Test
  void recordsInFlightAtTheDeadline_arePending_mapToBatchItems_andTheNextInvocationStartsFresh() {
    LocalMskBroker msk = MSK.broker();
    LambdaProducer<String, String> producer =
        open(builder(LocalMskBroker.DEFAULT_IDENTITY, null).prewarm("lambda-orders").build());
    assertThat(producer.invoke(TestLambdaContext.of("r1", java.time.Duration.ofMillis(10_000)), inv -> {
      inv.send("lambda-orders", "k", "warm");
      return null;
    }).isComplete()).isTrue();

    msk.proxy(1).blackholeExisting(); // as a NAT gateway does to idle flows
    InvocationResult<String, String, Void> stuck =
        producer.invoke(
            TestLambdaContext.of("r2", java.time.Duration.ofMillis(1_500)),
            inv -> {
              inv.send(new ProducerRecord<>("lambda-orders", "k", "a"), "message-a");
              inv.send(new ProducerRecord<>("lambda-orders", "k", "b"), "message-b");
              return null;
            });

    assertThat(stuck.flush().pending()).hasSize(2);
    assertThat(stuck.failedSourceItems()).containsExactly("message-a", "message-b");
    assertThatThrownBy(() -> stuck.failedSourceItems().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThat(stuck.sqsBatchResponse().getBatchItemFailures())
        .extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
        .containsExactly("message-a", "message-b");
    assertThat(stuck.streamsEventResponse().getBatchItemFailures())
        .extracting(f -> f.getItemIdentifier())
        .containsExactly("message-a", "message-b");

    InvocationResult<String, String, Void> fresh =
        producer.invoke(
            TestLambdaContext.of("r3", java.time.Duration.ofMillis(10_000)),
            inv -> {
              inv.send("lambda-orders", "k", "c");
              return null;
            });
    assertThat(fresh.recycled()).contains(RecycleReason.PENDING_AT_END);
    assertThat(fresh.isComplete()).isTrue();
    assertThat(fresh.flush().acknowledged()).isEqualTo(1);
    assertThat(fresh.failedSourceItems()).isEmpty();
    assertThat(fresh.sqsBatchResponse().getBatchItemFailures()).isEmpty();
  }

  @Test
  void credentialsThatHangAtInit_doNotHoldTheInitPastItsWait_theFirstInvocationDeliversOnceTheyAnswer()
      throws Exception {
    // Lambda's init phase has 10 s in all: a credentials provider that hangs (an STS or IMDS
    // call that never answers) must not keep the constructor past INIT_READY_WAIT.
    LocalMskBroker msk = MSK.broker();
    java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    software.amazon.awssdk.auth.credentials.AwsCredentialsProvider real =
        msk.credentialsProvider(LocalMskBroker.DEFAULT_IDENTITY);
    software.amazon.awssdk.auth.credentials.AwsCredentialsProvider hanging =
        () -> {
          entered.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
          }
          return real.resolveCredentials();
        };
    java.util.concurrent.CompletableFuture<LambdaProducer<String, String>> built =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> builder(MskAuth.iam(c -> c.credentialsProvider(hanging)), null).build());
    LambdaProducer<String, String> producer;
    try {
      // Returned at all: the provider answers only once released, below.
      producer = open(built.get(60, java.util.concurrent.TimeUnit.SECONDS));
      assertThat(entered.getCount()).as("the start asked the provider").isZero();
      assertThat(producer.currentProducer().isReady()).isFalse();
    } finally {
      release.countDown();
    }
    // The start goes on once the provider answers (a send would wait for it within max block).
    assertThat(producer.currentProducer().awaitReady(Duration.ofSeconds(60))).isTrue();
    InvocationResult<String, String, Void> first =
        producer.invoke(
            TestLambdaContext.of("r1", Duration.ofMillis(20_000)),
            inv -> {
              inv.send("lambda-init-hang", "k", "after the hang");
              return null;
            });
    assertThat(first.flush().acknowledged()).isEqualTo(1);
    assertThat(first.isComplete()).isTrue();
  }

  @Test
  void keysNotYetKnownAtInit_doNotFailTheInit_theFirstInvocationStartsANewProducer() {
    LocalMskBroker msk = MSK.broker();
    TestIdentity late = TestIdentity.random("lambda-late"); // as an IAM change still propagating
    LambdaProducer<String, String> producer =
        open(
            builder(MskAuth.iam(c -> c.staticCredentials(late.accessKeyId(), late.secretAccessKey())), null)
                .build());
    assertThatThrownBy(() -> producer.currentProducer().awaitReady(Duration.ofSeconds(30)))
        .as("the first connection was refused: stuck without a producer id")
        .isInstanceOf(io.github.mskproducer.core.MskAuthenticationException.class);

    msk.addIdentity(late);
    InvocationResult<String, String, Void> first =
        producer.invoke(
            TestLambdaContext.of("r1", Duration.ofMillis(20_000)),
            inv -> {
              inv.send("lambda-late-identity", "k", "v");
              return null;
            });
    assertThat(first.recycled()).contains(RecycleReason.START_FAILED);
    assertThat(first.flush().acknowledged()).isEqualTo(1);
  }

  @Test
  void recordIdHeader_reachesTheConsumer() {
    LambdaProducer<String, String> producer =
        open(builder(LocalMskBroker.DEFAULT_IDENTITY, null).recordIdHeader(true).build());
    producer.invoke(
        TestLambdaContext.of("req-7", java.time.Duration.ofMillis(10_000)),
        inv -> {
          inv.send("lambda-headers", "k", "zero");
          inv.send("lambda-headers", "k", "one");
          return null;
        });

    List<String> ids =
        read("lambda-headers", 2).stream()
            .map(r -> new String(r.headers().lastHeader(Invocation.RECORD_ID_HEADER).value(), StandardCharsets.UTF_8))
            .collect(Collectors.toList());
    assertThat(ids).containsExactly("req-7:0", "req-7:1");
  }

  @Test
  void aRecycledProducer_authenticatesWithANewToken_notOneCachedByKafkasLoginManager() {
    List<Instant> tokens = new CopyOnWriteArrayList<>();
    MskProducerListener listener =
        new MskProducerListener() {
          @Override
          public void onTokenGenerated(String region, Instant expiresAt) {
            tokens.add(expiresAt);
          }
        };
    LambdaProducer<String, String> producer =
        open(builder(LocalMskBroker.DEFAULT_IDENTITY, listener).thawThreshold(Duration.ofSeconds(60)).build());
    producer.invoke(TestLambdaContext.of("r1", java.time.Duration.ofMillis(10_000)), inv -> {
      inv.send("lambda-token", "k", "before");
      return null;
    });
    Instant lastBefore = tokens.stream().max(Instant::compareTo).orElseThrow();
    await().until(() -> Instant.now().isAfter(lastBefore.minusSeconds(900).plusSeconds(1)));

    clock.advance(Duration.ofSeconds(61)); // a freeze past the thaw threshold
    int before = tokens.size();
    InvocationResult<String, String, Void> after =
        producer.invoke(TestLambdaContext.of("r2", java.time.Duration.ofMillis(10_000)), inv -> {
          inv.send("lambda-token", "k", "after");
          return null;
        });

    assertThat(after.recycled()).contains(RecycleReason.THAW);
    assertThat(after.isComplete()).isTrue();
    assertThat(tokens.subList(before, tokens.size()))
        .as("tokens signed for the recycled producer")
        .isNotEmpty()
        .allSatisfy(t -> assertThat(t).isAfter(lastBefore));
  }

  /** A serializer with state: refuses to work once closed, counts its closes. */
  static final class OwnedSerializer implements org.apache.kafka.common.serialization.Serializer<String> {
    final java.util.concurrent.atomic.AtomicInteger closes = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public byte[] serialize(String topic, String data) {
      if (closes.get() > 0) {
        throw new IllegalStateException("serializer used after close()");
      }
      return data == null ? null : data.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
      closes.incrementAndGet();
    }
  }

  @Test
  void aRecycle_keepsTheUsersSerializersOpen_closeClosesThemOnce() {
    LocalMskBroker msk = MSK.broker();
    OwnedSerializer key = new OwnedSerializer();
    OwnedSerializer value = new OwnedSerializer();
    LambdaProducer<String, String> producer =
        LambdaProducer.builder(key, value)
            .environment(Map.of("AWS_LAMBDA_FUNCTION_NAME", "it-fn"))
            .clock(clock)
            .snapStart(false)
            .shutdownHook(false)
            .thawThreshold(Duration.ofSeconds(60))
            .producer(
                b ->
                    b.bootstrapServers(msk.bootstrapServers())
                        .region(msk.region())
                        .truststore(msk.truststorePem())
                        .auth(MskAuth.iam(c -> c.credentialsProvider(msk.credentialsProvider()))))
            .build();
    try {
      for (int i = 0; i < 3; i++) {
        clock.advance(Duration.ofSeconds(61)); // a freeze past the thaw threshold: a recycle
        int n = i;
        InvocationResult<String, String, Void> result =
            producer.invoke(TestLambdaContext.of("serde-" + i, Duration.ofMillis(10_000)), inv -> {
              inv.send("lambda-orders", "k", "after-recycle-" + n);
              return null;
            });
        assertThat(result.recycled()).contains(i == 0 ? RecycleReason.FIRST_USE : RecycleReason.THAW);
        assertThat(result.isComplete()).as("delivered after recycle %s", i).isTrue();
      }
      assertThat(producer.stats().recycles().getOrDefault(RecycleReason.THAW, 0L)).isGreaterThanOrEqualTo(2);
      assertThat(key.closes).hasValue(0);
      assertThat(value.closes).hasValue(0);
    } finally {
      producer.close();
      producer.close();
    }
    assertThat(key.closes).hasValue(1);
    assertThat(value.closes).hasValue(1);
  }

  @Test
  void aFatalFailure_recyclesBeforeTheNextInvocation() {
    LocalMskBroker msk = MSK.broker();
    TestIdentity noIdempotence = msk.addIdentity("lambda-no-idempotence");
    msk.deny(
        noIdempotence.name(),
        AclOperation.IDEMPOTENT_WRITE,
        new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL));
    LambdaProducer<String, String> producer = open(builder(noIdempotence.name(), null).build());

    InvocationResult<String, String, Void> denied =
        producer.invoke(TestLambdaContext.of("r1", java.time.Duration.ofMillis(10_000)), inv -> {
          inv.send("lambda-denied", "k", "v");
          return null;
        });
    InvocationResult<String, String, Void> next = producer.invoke(TestLambdaContext.of("r2", java.time.Duration.ofMillis(10_000)), inv -> null);

    assertThat(denied.flush().failed()).hasSize(1);
    assertThat(next.recycled()).contains(RecycleReason.FATAL_ERROR);
  }

  @Test
  void snapStartHooks_leaveNoIdempotentProducerIdBehind_F10() throws Exception {
    LambdaProducer<String, String> producer = open(builder(LocalMskBroker.DEFAULT_IDENTITY, null).build());
    producer.invoke(TestLambdaContext.of("init", java.time.Duration.ofMillis(10_000)), inv -> {
      inv.send("lambda-pid", "k", "before-snapshot");
      return null;
    });
    Set<Long> before = producerIds("lambda-pid");
    String clientIdBefore = producer.clientId();

    producer.beforeCheckpoint(null); // what SnapStart calls at the end of init
    producer.afterRestore(null); // and after each restore
    InvocationResult<String, String, Void> restored =
        producer.invoke(TestLambdaContext.of("after", java.time.Duration.ofMillis(10_000)), inv -> {
          inv.send("lambda-pid", "k", "after-restore");
          return null;
        });

    assertThat(restored.recycled()).contains(RecycleReason.SNAPSTART_RESTORE);
    assertThat(producer.clientId()).isNotEqualTo(clientIdBefore);
    Set<Long> after = producerIds("lambda-pid");
    after.removeAll(before);
    assertThat(after).as("a new idempotent producer id after the restore").hasSize(1);
  }

  /** An SQS handler: a message that throws, and one whose record is refused, are the failures. */
  static final class Handler extends SqsMskProducerHandler<String, String> {
    private final LambdaProducer<String, String> producer;

    Handler(LambdaProducer<String, String> producer) {
      this.producer = producer;
    }

    @Override
    protected LambdaProducer<String, String> producer() {
      return producer;
    }

    @Override
    protected void handleMessage(SQSEvent.SQSMessage message, MessageSender<String, String> sender) {
      if (message.getBody().equals("poison")) {
        throw new IllegalArgumentException("cannot parse");
      }
      String topic = message.getBody().equals("forbidden") ? "lambda-sqs-denied" : "lambda-sqs";
      sender.send(new ProducerRecord<>(topic, message.getMessageId(), message.getBody()));
    }
  }

  @Test
  void sqsHandler_reportsOnlyTheMessagesThatFailed() {
    LocalMskBroker msk = MSK.broker();
    msk.createTopic("lambda-sqs-denied", 1);
    TestIdentity writer = msk.addIdentity("lambda-sqs-writer");
    msk.deny(
        writer.name(),
        AclOperation.WRITE,
        new ResourcePattern(ResourceType.TOPIC, "lambda-sqs-denied", PatternType.LITERAL));
    LambdaProducer<String, String> producer =
        open(builder(writer.name(), null).producer(b -> {
          b.bootstrapServers(msk.bootstrapServers())
              .region(msk.region())
              .truststore(msk.truststorePem())
              .auth(MskAuth.iam(c -> c.credentialsProvider(msk.credentialsProvider(writer.name()))))
              .idempotence(false);
        }).build());
    SQSEvent event = new SQSEvent();
    List<SQSEvent.SQSMessage> messages = new ArrayList<>();
    for (String body : List.of("ok-1", "poison", "forbidden", "ok-2")) {
      SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
      m.setMessageId("id-" + body);
      m.setBody(body);
      messages.add(m);
    }
    event.setRecords(messages);

    SQSBatchResponse response = new Handler(producer).handleRequest(event, TestLambdaContext.of("sqs-1", java.time.Duration.ofMillis(10_000)));

    assertThat(response.getBatchItemFailures())
        .extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
        .containsExactlyInAnyOrder("id-poison", "id-forbidden");
    assertThat(read("lambda-sqs", 2)).extracting(ConsumerRecord::value).containsExactlyInAnyOrder("ok-1", "ok-2");
  }

  // ------------------------------------------------------------------ helpers

  private static Set<Long> producerIds(String topic) throws Exception {
    return MSK.broker().admin().describeProducers(List.of(new TopicPartition(topic, 0))).all().get()
        .values().stream()
        .flatMap(d -> d.activeProducers().stream())
        .map(ProducerState::producerId)
        .collect(Collectors.toSet());
  }

  private static List<ConsumerRecord<String, String>> read(String topic, int count) {
    LocalMskBroker msk = MSK.broker();
    Properties p = msk.adminProperties();
    p.put("key.deserializer", StringDeserializer.class.getName());
    p.put("value.deserializer", StringDeserializer.class.getName());
    p.put("group.id", "lambda-it-" + topic + "-" + System.nanoTime());
    p.put("auto.offset.reset", "earliest");
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (records.size() < count && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }
}
