package io.github.mskproducer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.LocalMskBrokerExtension;
import io.github.mskproducer.testkit.TestIdentity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;

/** MskProducer against the real local broker: TLS, SASL/OAUTHBEARER, SigV4 tokens. */
@ExtendWith(LocalMskBrokerExtension.class)
class MskProducerIT {
  private final LocalMskBroker msk;

  MskProducerIT(LocalMskBroker msk) {
    this.msk = msk;
  }

  @Test
  void send_isAcknowledged_andAConsumerReadsItBack() throws Exception {
    msk.createTopic("core-orders", 3);
    List<String> heardTokens = new CopyOnWriteArrayList<>();
    try (MskProducer<String, String> producer =
        LocalMsk.producer(msk)
            .listener(
                new MskProducerListener() {
                  @Override
                  public void onTokenGenerated(String region, java.time.Instant expiresAt) {
                    heardTokens.add(region);
                  }
                })
            .build()) {
      List<CompletableFuture<RecordMetadata>> acks = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        acks.add(producer.send("core-orders", "k" + i, "order-" + i));
      }
      RecordMetadata waited =
          producer.sendAndWait("core-orders", "k-last", "order-last", Duration.ofSeconds(30));
      FlushResult<String, String> flushed = producer.flush(Duration.ofSeconds(30));

      assertThat(flushed.isComplete()).isTrue();
      assertThat(flushed.acknowledged()).isEqualTo(101);
      assertThat(acks).allSatisfy(f -> assertThat(f).isCompleted());
      assertThat(waited.topic()).isEqualTo("core-orders");
      assertThat(heardTokens).isNotEmpty().allMatch(msk.region()::equals);
      assertThat(producer.region()).isEqualTo(msk.region());
      assertThat(producer.partitionsFor("core-orders")).hasSize(3);
    }
    assertThat(LocalMsk.readValues(msk, "core-orders", 101, Duration.ofSeconds(60)))
        .hasSize(101)
        .contains("order-0", "order-99", "order-last");
  }

  @Test
  void clientProperties_connectAConsumerAndAnAdmin_withTheProducersAuth_whileItIsOpen() throws Exception {
    msk.createTopic("core-readback", 2);
    MskProducer<String, String> producer = LocalMsk.producer(msk).build();
    try (producer) {
      producer.sendAndWait("core-readback", "k", "v", Duration.ofSeconds(30));
      Map<String, Object> props = producer.clientProperties();
      assertThat(props)
          .containsEntry("bootstrap.servers", msk.bootstrapServers())
          .containsEntry("security.protocol", "SASL_SSL")
          .containsEntry("sasl.mechanism", "OAUTHBEARER")
          .doesNotContainKeys("client.id", "acks", "enable.idempotence", "linger.ms");

      try (Admin admin = Admin.create(producer.clientProperties())) {
        assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains("core-readback");
      }
      props.put("group.id", "readback");
      props.put("auto.offset.reset", "earliest");
      try (KafkaConsumer<String, String> consumer =
          new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
        consumer.subscribe(List.of("core-readback"));
        List<String> values = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (values.isEmpty() && System.nanoTime() < deadline) {
          consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
        }
        assertThat(values).containsExactly("v");
      }
    }
    assertThatThrownBy(producer::clientProperties)
        .isInstanceOf(MskProducerClosedException.class)
        .hasMessageContaining("closed");
    assertThat(producer.send("core-readback", "k", "after close"))
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .havingCause()
        .isInstanceOf(MskProducerClosedException.class)
        .withMessageContaining("topic core-readback was not sent");
  }

  @Test
  void wrongSecret_isAnAuthenticationException_withAHint() {
    msk.createTopic("core-auth", 1);
    StaticCredentialsProvider wrong =
        StaticCredentialsProvider.create(
            AwsBasicCredentials.create(msk.identity().accessKeyId(), "not-the-secret"));
    try (MskProducer<String, String> producer =
        LocalMsk.producer(msk).auth(MskAuth.iam(c -> c.credentialsProvider(wrong))).build()) {
      assertThatThrownBy(() -> producer.sendAndWait("core-auth", "k", "v", Duration.ofSeconds(30)))
          .isInstanceOfSatisfying(
              MskAuthenticationException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(MskAuthenticationException.Reason.INVALID_TOKEN);
                assertThat(e.isRetriable()).isFalse();
                assertThat(e.getMessage())
                    .contains("access key " + msk.identity().accessKeyId().substring(0, 4) + "…")
                    .doesNotContain(msk.identity().accessKeyId())
                    .contains("secret belongs to that key")
                    .doesNotContain("not-the-secret");
              });
    }
  }

  @Test
  void wrongRegion_isAnAuthenticationException_whoseHintNamesTheRegion() {
    msk.createTopic("core-region", 1);
    try (MskProducer<String, String> producer = LocalMsk.producer(msk).region("ap-northeast-3").build()) {
      assertThatThrownBy(() -> producer.sendAndWait("core-region", "k", "v", Duration.ofSeconds(30)))
          .isInstanceOf(MskAuthenticationException.class)
          .hasMessageContaining("signed for region ap-northeast-3")
          .hasMessageContaining("the region is the cluster's");
    }
  }

  @Test
  void noCredentials_failAwaitReadyAndEverySend_withNoCredentials() {
    msk.createTopic("core-no-creds", 1);
    try (MskProducer<String, String> producer =
        LocalMsk.producer(msk)
            .auth(
                MskAuth.iam(
                    c ->
                        c.credentialsProvider(
                            () -> {
                              throw SdkClientException.create("no credentials here");
                            })))
            .build()) {
      java.util.function.Consumer<Throwable> noCredentials =
          t ->
              assertThat(t)
                  .isInstanceOfSatisfying(
                      MskAuthenticationException.class,
                      e -> {
                        assertThat(e.reason()).isEqualTo(MskAuthenticationException.Reason.NO_CREDENTIALS);
                        assertThat(e.getMessage()).contains("no credentials here");
                      });
      assertThatThrownBy(() -> producer.awaitReady(Duration.ofSeconds(30))).satisfies(noCredentials::accept);
      assertThat(producer.failure()).as("the same failure, without waiting").hasValueSatisfying(noCredentials::accept);
      assertThatThrownBy(() -> producer.sendAndWait("core-no-creds", "k", "v", Duration.ofSeconds(30)))
          .satisfies(noCredentials::accept);
      assertThat(producer.isReady()).isFalse();
      FlushResult<String, String> flush = producer.flush(Duration.ofSeconds(5));
      assertThat(flush.failed()).singleElement().satisfies(f -> noCredentials.accept(f.cause()));
    }
  }

  @Test
  void firstConnectionFailingTls_orRefusedCredentials_awaitReadyThrowsIt_sendsTooAndTheProducerStaysOpen() {
    // An untrusted broker certificate: the default truststore does not hold the local CA.
    try (MskProducer<String, String> producer =
        MskProducer.builder(String.class, String.class)
            .bootstrapServers(msk.bootstrapServers())
            .region(msk.region())
            .auth(MskAuth.iam(c -> c.credentialsProvider(msk.credentialsProvider())))
            .timeouts(t -> t.maxBlock(Duration.ofSeconds(10)).delivery(Duration.ofSeconds(15)).request(Duration.ofSeconds(5)))
            .build()) {
      assertThatThrownBy(() -> producer.awaitReady(Duration.ofSeconds(30)))
          .isInstanceOf(MskAuthenticationException.class)
          .hasMessageContaining("TLS handshake")
          .hasMessageContaining("truststore");
      assertThat(producer.isReady()).as("started, and open: the cause may be fixed").isTrue();
      assertThat(producer.failure())
          .hasValueSatisfying(f -> assertThat(f).isInstanceOf(MskAuthenticationException.class).hasMessageContaining("TLS handshake"));
      assertThatThrownBy(() -> producer.sendAndWait("core-tls", "k", "v", Duration.ofSeconds(30)))
          .isInstanceOf(MskAuthenticationException.class)
          .hasMessageContaining("TLS handshake");
    }
    // Keys the broker does not know: refused at authentication.
    TestIdentity unknown = TestIdentity.random("core-unknown-keys");
    try (MskProducer<String, String> producer =
        LocalMsk.producer(msk)
            .auth(
                MskAuth.iam(
                    c ->
                        c.credentialsProvider(
                            StaticCredentialsProvider.create(
                                AwsBasicCredentials.create(unknown.accessKeyId(), unknown.secretAccessKey())))))
            .timeouts(t -> t.maxBlock(Duration.ofSeconds(10)).delivery(Duration.ofSeconds(15)).request(Duration.ofSeconds(5)))
            .build()) {
      assertThatThrownBy(() -> producer.awaitReady(Duration.ofSeconds(30)))
          .isInstanceOf(MskAuthenticationException.class);
    }
  }

  @Test
  void deniedWrite_namesWriteData_deniedIdempotentWrite_namesWriteDataIdempotently_deniedDescribe_namesDescribeTopic() {
    msk.createTopic("core-acl", 1);
    TestIdentity noWrite = msk.addIdentity("core-no-write");
    TestIdentity noIdempotence = msk.addIdentity("core-no-idempotence");
    TestIdentity noDescribe = msk.addIdentity("core-no-describe");
    ResourcePattern topic = new ResourcePattern(ResourceType.TOPIC, "core-acl", PatternType.LITERAL);
    msk.deny(noWrite.name(), AclOperation.WRITE, topic);
    msk.deny(
        noIdempotence.name(),
        AclOperation.IDEMPOTENT_WRITE,
        new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL));
    msk.deny(noDescribe.name(), AclOperation.DESCRIBE, topic);

    assertMissingAction(noWrite, MskAuthorizationException.IamAction.WRITE_DATA);
    assertMissingAction(noIdempotence, MskAuthorizationException.IamAction.WRITE_DATA_IDEMPOTENTLY);
    assertMissingAction(noDescribe, MskAuthorizationException.IamAction.DESCRIBE_TOPIC);
  }

  private void assertMissingAction(TestIdentity identity, MskAuthorizationException.IamAction action) {
    try (MskProducer<String, String> producer =
        LocalMsk.producer(msk)
            .auth(MskAuth.iam(c -> c.credentialsProvider(msk.credentialsProvider(identity.name()))))
            .timeouts(t -> t.maxBlock(Duration.ofSeconds(10)))
            .build()) {
      assertThatThrownBy(() -> producer.sendAndWait("core-acl", "k", "v", Duration.ofSeconds(30)))
          .isInstanceOfSatisfying(
              MskAuthorizationException.class,
              e -> {
                assertThat(e.missingAction()).isEqualTo(action);
                assertThat(e.getMessage()).contains(action.action());
              });
    }
  }

  @Test
  void tooManyConnects_isClassified_andRetriable() {
    msk.createTopic("core-storm", 1);
    msk.setIamConnectionRateLimit(1);
    List<MskProducer<String, String>> producers = new ArrayList<>();
    try {
      List<CompletableFuture<RecordMetadata>> sends = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        // Not idempotent: an idempotent IAM producer's start restarts its Kafka producer on this
        // refusal (KAFKA-20237), and a send waiting for that start may then fail at max block
        // instead, depending on the machine's speed (SerializerOwnershipIT's startup restart
        // and the reliability suite cover that path). Here the send's own wait for metadata
        // gets the refusal.
        MskProducer<String, String> p =
            LocalMsk.producer(msk)
                .idempotence(false)
                .retry(RetryPolicy.none())
                .timeouts(t -> t.maxBlock(Duration.ofSeconds(5)))
                .build();
        producers.add(p);
      }
      for (MskProducer<String, String> p : producers) {
        sends.add(CompletableFuture.supplyAsync(() -> p.send("core-storm", "v")).thenCompose(f -> f));
      }
      List<Throwable> failures = new ArrayList<>();
      for (CompletableFuture<RecordMetadata> s : sends) {
        s.handle((md, e) -> e).thenAccept(e -> {
          if (e != null) {
            failures.add(e);
          }
        }).join();
      }

      assertThat(failures)
          .anySatisfy(
              e -> {
                Throwable cause = e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
                assertThat(cause).isInstanceOf(MskAuthenticationException.class);
                assertThat(((MskAuthenticationException) cause).reason())
                    .isEqualTo(MskAuthenticationException.Reason.TOO_MANY_CONNECTS);
                assertThat(((MskAuthenticationException) cause).isRetriable()).isTrue();
              });
    } finally {
      msk.setIamConnectionRateLimit(0);
      producers.forEach(p -> p.close(Duration.ZERO));
    }
  }

  @Test
  void oneProducer_sharedByEightThreads_deliversEverything() throws Exception {
    msk.createTopic("core-threads", 4);
    int threads = 8;
    int perThread = 500;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (MskProducer<String, String> producer = LocalMsk.producer(msk).build()) {
      List<CompletableFuture<Void>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        workers.add(
            CompletableFuture.runAsync(
                () -> {
                  for (int i = 0; i < perThread; i++) {
                    producer.send("core-threads", "t" + thread, thread + "-" + i);
                  }
                },
                pool));
      }
      CompletableFuture.allOf(workers.toArray(new CompletableFuture<?>[0])).get(120, TimeUnit.SECONDS);
      FlushResult<String, String> result = producer.flush(Duration.ofSeconds(60));

      assertThat(result.acknowledged()).isEqualTo((long) threads * perThread);
      assertThat(result.isComplete()).isTrue();
    } finally {
      pool.shutdownNow();
    }
    List<String> read = LocalMsk.readValues(msk, "core-threads", threads * perThread, Duration.ofSeconds(60));
    Set<String> distinct = new HashSet<>(read);
    assertThat(read).hasSize(threads * perThread);
    assertThat(distinct).hasSize(threads * perThread);
  }

  @Test
  void legacyAwsMskIamMechanism_throughAwsMskIamAuth_produces() throws Exception {
    msk.createTopic("core-legacy", 1);
    try (LocalMskBroker.Restorable creds = msk.installCredentialsAsSystemProperties();
        MskProducer<String, String> producer =
            LocalMsk.producer(msk).auth(MskAuth.iamLegacy(c -> c.defaultChain())).build()) {
      assertThat(producer.sendAndWait("core-legacy", "k", "legacy", Duration.ofSeconds(30)).offset()).isZero();
    }
  }

  @Test
  void perSendPolicy_returnsCompletedFutures() {
    msk.createTopic("core-per-send", 1);
    try (MskProducer<String, String> producer =
        LocalMsk.producer(msk).flushPolicy(FlushPolicy.PER_SEND).build()) {
      for (int i = 0; i < 5; i++) {
        assertThat(producer.send(new ProducerRecord<>("core-per-send", "v" + i))).isCompleted();
      }
    }
  }

  @Test
  void metadataTimeoutBeforeTheBuffer_isRetried_untilTheTopicExists() throws Exception {
    List<String> retries = new CopyOnWriteArrayList<>();
    try (MskProducer<String, String> producer =
        LocalMsk.producer(msk)
            .timeouts(t -> t.maxBlock(Duration.ofSeconds(2)))
            .retry(
                r ->
                    r.maxAttempts(10)
                        .initialBackoff(Duration.ofMillis(300))
                        .maxBackoff(Duration.ofSeconds(1))
                        .maxElapsed(Duration.ofSeconds(60)))
            .listener(
                new MskProducerListener() {
                  @Override
                  public void onRetry(String topic, int attempt, Duration wait, MskProducerException cause) {
                    retries.add(topic + " " + cause.getClass().getSimpleName());
                  }
                })
            .build()) {
      CompletableFuture<RecordMetadata> sent =
          CompletableFuture.supplyAsync(() -> producer.send("core-late-topic", "k", "v")).thenCompose(f -> f);
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !retries.isEmpty());
      msk.createTopic("core-late-topic", 1);

      assertThat(sent.get(60, TimeUnit.SECONDS).topic()).isEqualTo("core-late-topic");
      assertThat(retries).first().isEqualTo("core-late-topic MskDeliveryException");
    }
  }
}
