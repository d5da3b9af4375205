package io.github.mskproducer.lambda;

import io.github.mskproducer.testkit.TestLambdaContext;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.mskproducer.core.MskAuth;
import io.github.mskproducer.core.MskProducerConfig;
import io.github.mskproducer.core.MskAuthorizationException;
import io.github.mskproducer.core.MskConfigurationException;
import io.github.mskproducer.core.MskDeliveryException;
import io.github.mskproducer.lambda.internal.Fatal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The lifecycle logic with a controllable clock and a test Context. No broker here (records
 * sent fail before the buffer); LambdaProducerIT covers records in flight.
 */
class LambdaProducerTest {
  private final ManualClock clock = new ManualClock();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private LambdaProducer<String, String> producer;

  @BeforeEach
  void captureLogs() {
    logs.start();
    ((Logger) LoggerFactory.getLogger(LambdaProducer.class)).addAppender(logs);
  }

  @AfterEach
  void close() {
    ((Logger) LoggerFactory.getLogger(LambdaProducer.class)).setLevel(null);
    ((Logger) LoggerFactory.getLogger(LambdaProducer.class)).detachAppender(logs);
    if (producer != null) {
      producer.close();
    }
  }

  private LambdaProducerBuilder<String, String> builder() {
    return LambdaProducer.builder(String.class, String.class)
        .environment(Map.of("AWS_LAMBDA_FUNCTION_NAME", "Orders Fn"))
        .clock(clock)
        .snapStart(false)
        .shutdownHook(false)
        .producer(
            b ->
                b.bootstrapServers("localhost:1")
                    .region("us-east-1")
                    .auth(MskAuth.iam(c -> c.staticCredentials("AKIAEXAMPLE", "secret")))
                    .timeouts(t -> t.maxBlock(Duration.ofMillis(300))));
  }

  private InvocationResult<String, String, String> invokeNothing(String id) {
    return producer.invoke(TestLambdaContext.of(id, java.time.Duration.ofMillis(10_000)), inv -> "ok");
  }

  private void advance(Duration d) {
    clock.advance(d);
  }

  @Test
  void firstInvocation_reportsFirstUse_thenTheProducerIsReused() {
    producer = builder().build();

    assertThat(invokeNothing("r1").recycled()).contains(RecycleReason.FIRST_USE);
    advance(Duration.ofSeconds(10));
    InvocationResult<String, String, String> second = invokeNothing("r2");

    assertThat(second.recycled()).isEmpty();
    assertThat(second.value()).isEqualTo("ok");
    assertThat(producer.stats().recycles()).containsEntry(RecycleReason.FIRST_USE, 1L).hasSize(1);
  }

  private static boolean isClosed(io.github.mskproducer.core.MskProducer<?, ?> p) {
    try {
      p.awaitReady(Duration.ZERO);
      return false;
    } catch (io.github.mskproducer.core.MskProducerClosedException e) {
      return true;
    } catch (io.github.mskproducer.core.MskProducerException e) {
      return false; // its start failed (nothing listens here), but it is open
    }
  }

  /** A first invocation, then a gap that makes the next one recycle: the first producer. */
  private io.github.mskproducer.core.MskProducer<String, String> firstProducerThenAGapPastTheThawThreshold() {
    producer = builder().thawThreshold(Duration.ofSeconds(30)).build();
    invokeNothing("r1");
    var first = producer.currentProducer();
    advance(Duration.ofSeconds(31));
    return first;
  }

  @Test
  void theProducerARecycleReplaces_closesAfterTheInvocation_notDuringIt() throws Exception {
    var first = firstProducerThenAGapPastTheThawThreshold();

    boolean[] openWhileTheFunctionRan = {false};
    InvocationResult<String, String, String> thawed =
        producer.invoke(
            TestLambdaContext.of("r2", Duration.ofMillis(10_000)),
            inv -> {
              openWhileTheFunctionRan[0] = !isClosed(first);
              return "ok";
            });

    assertThat(thawed.recycled()).contains(RecycleReason.THAW);
    assertThat(openWhileTheFunctionRan[0])
        .as("closing it would take CPU from its successor's start, the first ack's critical path")
        .isTrue();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(isClosed(first))
                    .as("closed in the background once the invocation flushed")
                    .isTrue());
  }

  @Test
  void theProducerARecycleReplaces_isClosedEvenIfTheFunctionFails() throws Exception {
    var first = firstProducerThenAGapPastTheThawThreshold();

    assertThatThrownBy(
            () ->
                producer.invoke(
                    TestLambdaContext.of("r2", Duration.ofMillis(10_000)),
                    inv -> {
                      throw new IllegalStateException("the function failed");
                    }))
        .hasMessage("the function failed");

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(isClosed(first)).isTrue());
  }

  @Test
  void aGapLongerThanTheThawThreshold_recycles_aShorterOneDoesNot() {
    producer = builder().thawThreshold(Duration.ofSeconds(30)).build();
    invokeNothing("r1");
    var first = producer.currentProducer();

    advance(Duration.ofSeconds(29));
    assertThat(invokeNothing("r2").recycled()).isEmpty();
    advance(Duration.ofSeconds(31));
    InvocationResult<String, String, String> thawed = invokeNothing("r3");

    assertThat(thawed.recycled()).contains(RecycleReason.THAW);
    assertThat(producer.currentProducer()).isNotSameAs(first);
    assertThat(logs.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .anySatisfy(
            l ->
                assertThat(l)
                    .contains("\"event\":\"msk-producer-recycle\"")
                    .contains("\"reason\":\"THAW\"")
                    .contains("\"requestId\":\"r3\"")
                    .contains("\"gapMs\":31000"));
  }

  @Test
  void aProducerOlderThanTheMaximumAge_isRecycled() {
    producer = builder().maxAge(Duration.ofMinutes(5)).build();
    invokeNothing("r1");
    for (int i = 0; i < 5; i++) {
      advance(Duration.ofSeconds(59));
      assertThat(invokeNothing("r" + (i + 2)).recycled()).isEmpty();
    }
    advance(Duration.ofSeconds(59));

    assertThat(invokeNothing("r9").recycled()).contains(RecycleReason.MAX_AGE);
  }

  @Test
  void flushDeadline_isTheRemainingTimeMinusTheMargin() {
    ((Logger) LoggerFactory.getLogger(LambdaProducer.class)).setLevel(ch.qos.logback.classic.Level.DEBUG);
    producer = builder().flushMargin(Duration.ofMillis(700)).build();

    producer.invoke(TestLambdaContext.of("r1", java.time.Duration.ofMillis(2_000)), inv -> null);

    assertThat(logs.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .filteredOn(l -> l.contains("msk-producer-flush"))
        .singleElement()
        .satisfies(
            l -> {
              int deadline = Integer.parseInt(l.replaceAll(".*\"deadlineMs\":(\\d+).*", "$1"));
              assertThat(deadline).isBetween(1_100, 1_300);
              assertThat(l).contains("\"requestId\":\"r1\"");
            });
  }

  @Test
  void aCleanFlush_logsAtDebug_aRecycleAtInfo_andListenersHearTheRecycle() {
    List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
    producer =
        builder()
            .thawThreshold(Duration.ofSeconds(30))
            .listener(
                new LambdaProducerListener() {
                  @Override
                  public void onRecycled(RecycleReason reason, String requestId) {
                    heard.add(reason + " " + requestId);
                  }
                })
            .build();
    invokeNothing("r1");
    invokeNothing("r2");
    advance(Duration.ofSeconds(31));
    invokeNothing("r3");

    assertThat(heard).containsExactly("FIRST_USE r1", "THAW r3");
    assertThat(logs.list)
        .filteredOn(e -> e.getFormattedMessage().contains("msk-producer-flush"))
        .as("at INFO level only the recycle line; a clean flush is DEBUG")
        .allMatch(e -> e.getLevel() == ch.qos.logback.classic.Level.DEBUG);
    assertThat(logs.list)
        .filteredOn(e -> e.getFormattedMessage().contains("msk-producer-recycle"))
        .singleElement()
        .satisfies(e -> assertThat(e.getLevel()).isEqualTo(ch.qos.logback.classic.Level.INFO));
  }

  @Test
  void noTimeLeft_flushesWithAZeroDeadline() {
    ((Logger) LoggerFactory.getLogger(LambdaProducer.class)).setLevel(ch.qos.logback.classic.Level.DEBUG);
    producer = builder().flushMargin(Duration.ofSeconds(5)).build();

    producer.invoke(TestLambdaContext.of("r1", java.time.Duration.ofMillis(1_000)), inv -> null);

    assertThat(logs.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .anySatisfy(l -> assertThat(l).contains("\"deadlineMs\":0"));
  }

  @Test
  void clientId_isTheFunctionNamePlusASuffix_newAfterASnapStartRestore() {
    producer = builder().build();
    String before = producer.clientId();

    producer.beforeCheckpoint(null);
    assertThat(producer.currentProducer()).as("closed before the snapshot").isNull();
    producer.afterRestore(null);
    InvocationResult<String, String, String> r = invokeNothing("r1");

    assertThat(before).matches("orders-fn-[a-z0-9]{6}");
    assertThat(producer.clientId()).matches("orders-fn-[a-z0-9]{6}").isNotEqualTo(before);
    assertThat(r.recycled()).contains(RecycleReason.SNAPSTART_RESTORE);
  }

  @Test
  void theInvocationsExceptions_propagate_afterItsRecordsWereFlushed() {
    producer = builder().build();

    assertThatThrownBy(
            () ->
                producer.invoke(
                    TestLambdaContext.of("r1", java.time.Duration.ofMillis(600)),
                    inv -> {
                      inv.send("orders", "k", "v");
                      throw new IOException("disk full");
                    }))
        .isInstanceOfSatisfying(
            InvocationException.class,
            e -> {
              assertThat(e.getCause()).hasMessage("disk full");
              // no broker here: the record failed before the buffer; its outcome is reported
              assertThat(e.result().flush().failed()).hasSize(1);
            });
    assertThatThrownBy(
            () ->
                producer.invoke(
                    TestLambdaContext.of("r2", java.time.Duration.ofMillis(600)),
                    inv -> {
                      throw new IllegalArgumentException("bad event");
                    }))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(producer.stats().invocations()).isEqualTo(2);
  }

  @Test
  void lambdaDefaults_applyFirst_andTheUsersOptionsWin() {
    producer =
        builder()
            .producer(
                b ->
                    b.bootstrapServers("localhost:1")
                        .region("us-east-1")
                        .auth(MskAuth.iam(c -> c.staticCredentials("AKIAEXAMPLE", "secret")))
                        .timeouts(t -> t.maxBlock(Duration.ofSeconds(7))))
            .build();

    String described = producer.currentProducer().toString();

    assertThat(described)
        .contains("maxBlock=PT7S")
        .contains("request=PT5S")
        .contains("delivery=PT15S")
        .contains("linger=5ms")
        .contains("connections.max.idle.ms")
        .contains("clientId=orders-fn-");
  }

  @Test
  void lambdaDefaults_aPromptFirstReconnectThatStillBacksOff_andNoJmxReporter() {
    producer =
        builder()
            .producer(
                b ->
                    b.bootstrapServers("localhost:1")
                        .region("us-east-1")
                        .auth(MskAuth.iam(c -> c.staticCredentials("AKIAEXAMPLE", "secret"))))
            .build();

    MskProducerConfig used = producer.currentProducer().config();
    assertThat(used.reconnectBackoff()).contains(Duration.ofMillis(50));
    assertThat(used.reconnectBackoffMax()).contains(Duration.ofSeconds(10));
    assertThat(used.properties()).containsEntry("metric.reporters", "");
  }

  @Test
  void lambdaDefaults_fillOnlyWhatTheUserLeftUnset() {
    MskProducerConfig user =
        MskProducerConfig.builder()
            .bootstrapServers("localhost:1")
            .region("us-east-1")
            .auth(MskAuth.iam(c -> c.staticCredentials("AKIAEXAMPLE", "secret")))
            .clientId("mine")
            .linger(Duration.ofMillis(20))
            .timeouts(t -> t.delivery(Duration.ofSeconds(30)).maxBlock(Duration.ofMillis(300)))
            .property("connections.max.idle.ms", "100000")
            .reconnectBackoff(Duration.ofSeconds(1), Duration.ofSeconds(20))
            .property("metric.reporters", "org.apache.kafka.common.metrics.JmxReporter")
            .build();
    producer = builder().config(user).build();

    MskProducerConfig used = producer.currentProducer().config();
    assertThat(used.clientId()).contains("mine");
    assertThat(used.linger()).contains(Duration.ofMillis(20));
    assertThat(used.timeouts().delivery()).isEqualTo(Duration.ofSeconds(30));
    assertThat(used.timeouts().request()).as("unset: Lambda's").isEqualTo(LambdaProducer.LAMBDA_REQUEST_TIMEOUT);
    assertThat(used.properties()).containsEntry("connections.max.idle.ms", "100000");
    assertThat(used.reconnectBackoff()).contains(Duration.ofSeconds(1));
    assertThat(used.properties()).containsEntry("metric.reporters", "org.apache.kafka.common.metrics.JmxReporter");
    assertThat(used.toBuilder().clientId("mine").build())
        .as("nothing but the unset options changed")
        .isEqualTo(
            user.toBuilder()
                .timeouts(t -> t.request(LambdaProducer.LAMBDA_REQUEST_TIMEOUT))
                .build());
  }

  @Test
  void aProducerWhoseStartFailed_isReplacedBeforeTheNextInvocation() {
    java.util.concurrent.atomic.AtomicBoolean fail = new java.util.concurrent.atomic.AtomicBoolean();
    software.amazon.awssdk.auth.credentials.AwsCredentialsProvider flaky =
        () -> {
          if (fail.get()) {
            throw software.amazon.awssdk.core.exception.SdkClientException.create("credentials endpoint down");
          }
          return software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("AKIAEXAMPLE", "secret");
        };
    producer =
        builder()
            .thawThreshold(Duration.ofSeconds(30))
            .producer(
                b ->
                    b.bootstrapServers("localhost:1")
                        .region("us-east-1")
                        .auth(MskAuth.iam(c -> c.credentialsProvider(flaky)))
                        .timeouts(t -> t.maxBlock(Duration.ofMillis(300))))
            .build();
    invokeNothing("r1");
    fail.set(true);
    advance(Duration.ofSeconds(31));
    // An invocation that sends nothing: no failed record tells of the failed start (one that
    // sends gets an MskAuthenticationException for it, a fatal failure, and a recycle too).
    assertThat(invokeNothing("r2").recycled()).contains(RecycleReason.THAW);
    assertThatThrownBy(() -> producer.currentProducer().awaitReady(Duration.ZERO))
        .isInstanceOf(io.github.mskproducer.core.MskAuthenticationException.class);

    fail.set(false);
    assertThat(invokeNothing("r3").recycled()).contains(RecycleReason.START_FAILED);
    assertThat(producer.currentProducer().awaitReady(Duration.ofSeconds(10))).isTrue();
  }

  @Test
  void perSendFlushPolicy_keepsLingerZero_andARaisedRequestTimeoutRaisesTheDeliveryDefault() {
    producer =
        builder()
            .producer(
                b ->
                    b.bootstrapServers("localhost:1")
                        .region("us-east-1")
                        .auth(MskAuth.iam(c -> c.staticCredentials("AKIAEXAMPLE", "secret")))
                        .flushPolicy(io.github.mskproducer.core.FlushPolicy.PER_SEND)
                        .timeouts(t -> t.request(Duration.ofSeconds(20)).maxBlock(Duration.ofMillis(300))))
            .build();
    MskProducerConfig used = producer.currentProducer().config();
    assertThat(used.linger()).contains(Duration.ZERO);
    assertThat(used.timeouts().request()).isEqualTo(Duration.ofSeconds(20));
    assertThat(used.timeouts().delivery()).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void lambdaSettings_comeFromTheEnvironment_whereCodeSetsNone() {
    producer =
        builder()
            .environment(
                Map.of(
                    "AWS_LAMBDA_FUNCTION_NAME", "Orders Fn",
                    "MSK_LAMBDA_THAW_THRESHOLD_MS", "30000",
                    "MSK_LAMBDA_MAX_AGE_MS", "1000"))
            .maxAge(Duration.ofHours(2)) // in code: wins over MSK_LAMBDA_MAX_AGE_MS
            .build();
    invokeNothing("r1");
    advance(Duration.ofSeconds(29));
    assertThat(invokeNothing("r2").recycled()).as("below the threshold from the environment").isEmpty();
    advance(Duration.ofSeconds(31));
    assertThat(invokeNothing("r3").recycled()).contains(RecycleReason.THAW);
  }

  @Test
  void badLambdaVariables_nameTheVariable() {
    for (Map.Entry<String, String> bad :
        Map.of(
                "MSK_LAMBDA_THAW_THRESHOLD_MS", "4m",
                "MSK_LAMBDA_MAX_AGE_MS", "0",
                "MSK_LAMBDA_FLUSH_MARGIN_MS", "-1",
                "MSK_LAMBDA_PREWARM_TOPICS", "orders,,audit",
                "MSK_LAMBDA_RECORD_ID_HEADER", "yes",
                "MSK_LAMBDA_METRICS", "on")
            .entrySet()) {
      assertThatThrownBy(() -> builder().environment(Map.of(bad.getKey(), bad.getValue())).build())
          .isInstanceOfSatisfying(
              MskConfigurationException.class,
              e -> {
                assertThat(e.option()).isEqualTo(bad.getKey());
                assertThat(e.getMessage()).contains(bad.getKey(), bad.getValue());
              });
    }
    assertThat(LambdaProducer.ENVIRONMENT_VARIABLES).hasSize(6).allMatch(v -> v.startsWith("MSK_LAMBDA_"));
  }

  @Test
  void aClosedProducer_refusesInvocations_withTheSdksClosedException() {
    producer = builder().build();
    producer.close();
    assertThatThrownBy(() -> invokeNothing("r1"))
        .isInstanceOf(io.github.mskproducer.core.MskProducerClosedException.class)
        .hasMessageContaining("closed");
    assertThat(new InvocationException("x", new Exception(), null))
        .as("one hierarchy")
        .isInstanceOf(io.github.mskproducer.core.MskProducerException.class);
  }

  @Test
  void badOptions_nameTheOption() {
    assertThatThrownBy(() -> builder().thawThreshold(Duration.ZERO))
        .isInstanceOf(MskConfigurationException.class)
        .hasMessageContaining("thawThreshold");
    assertThatThrownBy(() -> builder().flushMargin(Duration.ofMillis(-1)))
        .isInstanceOf(MskConfigurationException.class)
        .hasMessageContaining("flushMargin");
    assertThatThrownBy(() -> builder().producer(b -> b.bootstrapServers("nohost")).build())
        .isInstanceOf(MskConfigurationException.class)
        .hasMessageContaining("bootstrapServers");
  }

  @Test
  void fatalFailures_areTheOnesAProducerCannotRecoverFrom() {
    assertThat(
            Fatal.isFatal(
                new MskAuthorizationException(
                    MskAuthorizationException.IamAction.WRITE_DATA_IDEMPOTENTLY, "cluster", "x", null)))
        .isTrue();
    assertThat(
            Fatal.isFatal(
                new MskDeliveryException("x", new OutOfOrderSequenceException("seq"), false, "t", 0, null)))
        .isTrue();
    assertThat(
            Fatal.isFatal(
                new MskAuthorizationException(MskAuthorizationException.IamAction.WRITE_DATA, "t", "x", null)))
        .isFalse();
    assertThat(Fatal.isFatal(new MskDeliveryException("x", new TimeoutException("t"), true, "t", 0, null)))
        .isFalse();
    assertThat(Fatal.isFatal(new io.github.mskproducer.core.MskProducerClosedException("closed"))).isTrue();
  }

  @Test
  void metrics_areOneEmbeddedMetricFormatLinePerInvocation() {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.PrintStream original = System.out;
    System.setOut(new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      producer = builder().emitMetrics(true).build();
      invokeNothing("r1");
    } finally {
      System.setOut(original);
    }
    List<String> lines = List.of(out.toString(StandardCharsets.UTF_8).split("\n"));

    assertThat(lines)
        .filteredOn(l -> l.contains("CloudWatchMetrics"))
        .singleElement()
        .satisfies(
            l ->
                assertThat(l)
                    .startsWith("{\"_aws\":{\"Timestamp\":")
                    .contains(
                        "\"CloudWatchMetrics\":[{\"Namespace\":\"MskProducer\",\"Dimensions\":[[\"FunctionName\"]],"
                            + "\"Metrics\":[{\"Name\":\"FlushLatency\",\"Unit\":\"Milliseconds\"},"
                            + "{\"Name\":\"RecordsAcknowledged\",\"Unit\":\"Count\"},"
                            + "{\"Name\":\"RecordsFailed\",\"Unit\":\"Count\"},"
                            + "{\"Name\":\"RecordsPending\",\"Unit\":\"Count\"},"
                            + "{\"Name\":\"Recycles\",\"Unit\":\"Count\"}]}]}")
                    .contains("\"FunctionName\":\"Orders Fn\"")
                    .contains("\"RecordsAcknowledged\":0")
                    .contains("\"Recycles\":1"));
  }
}
