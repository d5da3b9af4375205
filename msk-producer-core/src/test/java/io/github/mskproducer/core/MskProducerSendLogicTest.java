package io.github.mskproducer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.mskproducer.core.internal.config.Settings;
import io.github.mskproducer.core.internal.send.Errors;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The bookkeeping of send, retry, flush and close, on Kafka's MockProducer (pure logic: the
 * real broker is in the integration tests).
 */
class MskProducerSendLogicTest {
  /** Kafka's MockProducer, plus failures inside send() (as Kafka reports pre-buffer ones). */
  private static final class ScriptedProducer extends MockProducer<String, String> {
    final Deque<RuntimeException> failInsideSend = new ArrayDeque<>();
    final AtomicInteger sends = new AtomicInteger();
    volatile boolean flushCompletes;
    /** A flush that never returns by itself, as Kafka's can (an idempotent producer without an id). */
    volatile boolean flushHangs;
    volatile long failAfterMillis;
    /** Appends the record too before failing inside send, as kafka-clients 3.8 can. */
    volatile boolean appendAndFail;
    /**
     * Thrown once after a failure reported inside send, as a user interceptor's {@code
     * onSendError} can (Kafka calls it after the callback).
     */
    final java.util.concurrent.atomic.AtomicReference<Throwable> throwAfterCallback =
        new java.util.concurrent.atomic.AtomicReference<>();
    /**
     * Thrown once by send, nothing reported before it: an Error (a serializer's), or Kafka's
     * refusal of a closed producer.
     */
    final java.util.concurrent.atomic.AtomicReference<Throwable> throwInsteadOfSend =
        new java.util.concurrent.atomic.AtomicReference<>();

    /** An Error thrown once by the first send that finds no failure left to report (a retry). */
    final java.util.concurrent.atomic.AtomicReference<Throwable> throwOnceFailuresRunOut =
        new java.util.concurrent.atomic.AtomicReference<>();

    ScriptedProducer() {
      super(false, null, new StringSerializer(), new StringSerializer());
    }

    @Override
    public synchronized Future<RecordMetadata> send(
        ProducerRecord<String, String> record, Callback callback) {
      sends.incrementAndGet();
      Throwable instead = throwInsteadOfSend.getAndSet(null);
      if (instead instanceof Error) {
        throw (Error) instead;
      }
      if (instead != null) {
        throw (RuntimeException) instead;
      }
      if (failInsideSend.isEmpty()) {
        Throwable error = throwOnceFailuresRunOut.getAndSet(null);
        if (error != null) {
          throw (Error) error;
        }
      }
      RuntimeException e = failInsideSend.poll();
      if (e instanceof SerializationException) {
        throw e;
      }
      if (e != null && appendAndFail) {
        super.send(record, callback);
        callback.onCompletion(null, e);
        CompletableFuture<RecordMetadata> failed = new CompletableFuture<>();
        failed.completeExceptionally(e);
        return failed;
      }
      if (e != null) {
        sleep(failAfterMillis); // as a metadata wait would
        callback.onCompletion(null, e);
        Throwable after = throwAfterCallback.getAndSet(null);
        if (after instanceof Error) {
          throw (Error) after;
        }
        if (after != null) {
          throw (RuntimeException) after;
        }
        CompletableFuture<RecordMetadata> failed = new CompletableFuture<>();
        failed.completeExceptionally(e);
        return failed;
      }
      return super.send(record, callback);
    }

    private static void sleep(long millis) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void flush() {
      if (flushHangs) {
        try {
          Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
          throw new org.apache.kafka.common.errors.InterruptException(e); // as Kafka's flush does
        }
      }
      flushNow();
    }

    private synchronized void flushNow() {
      if (flushCompletes) {
        super.flush();
      }
    }
  }

  private final ScriptedProducer kafka = new ScriptedProducer();
  private final List<String> events = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger released = new AtomicInteger();
  private MskProducer<String, String> producer;
  // Without a listener, a send reads no clock for its latency.
  private boolean listening = true;
  // The retry policy's maxElapsed, if set.
  private Duration maxElapsed;
  // The delivery timeout (with a request timeout of 1 s), if set.
  private Duration deliveryTimeout;

  /** The builder both kinds of test producers come from. */
  private MskProducerBuilder<String, String> builder(FlushPolicy policy, Duration maxBlock) {
    return MskProducer.builder(String.class, String.class)
        .bootstrapServers("b-1.demo.abc.c2.kafka.us-east-1.amazonaws.com:9098")
        .flushPolicy(policy)
        .timeouts(
            t -> {
              t.maxBlock(maxBlock);
              if (deliveryTimeout != null) {
                t.request(Duration.ofSeconds(1)).delivery(deliveryTimeout);
              }
            })
        .retry(
            r -> {
              r.maxAttempts(3).initialBackoff(Duration.ofMillis(10)).jitter(0);
              if (maxElapsed != null) {
                r.maxElapsed(maxElapsed);
              }
            });
  }

  private static Errors errors(Settings s) {
    return new Errors(
        new Errors.Context(
            s.bootstrap(), "IAM", s.region(), true, s.timeouts().maxBlock(), s.timeouts().delivery(), () -> "AKIATEST"));
  }

  private MskProducer<String, String> producer(FlushPolicy policy, Duration maxBlock) {
    MskProducerBuilder<String, String> b = builder(policy, maxBlock);
    Settings s = b.resolve();
    Errors errors = errors(s);
    MskProducerListener listener =
        new MskProducerListener() {
          @Override
          public void onRetry(String topic, int attempt, Duration wait, MskProducerException cause) {
            events.add("retry " + topic + " #" + attempt + " " + cause.getClass().getSimpleName());
          }

          @Override
          public void onSendFailed(FailedRecord<?, ?> failed) {
            events.add("failed " + failed.record().topic());
            throw new IllegalStateException("a broken listener must not break the producer");
          }

          @Override
          public void onClosed(Duration took) {
            events.add("closed");
          }
        };
    producer =
        new MskProducer<>(
            kafka, b.config(), s, Map.of(), errors, listening ? List.of(listener) : List.of(), released::incrementAndGet);
    return producer;
  }

  /** A producer whose start has not finished: {@code MskProducer.started} finishes it. */
  private MskProducer<String, String> producerStartingLater(Duration maxBlock) {
    MskProducerBuilder<String, String> b = builder(FlushPolicy.ASYNC, maxBlock);
    Settings s = b.resolve();
    producer = new MskProducer<>(b.config(), s, errors(s), List.of(), List.of(), () -> {});
    return producer;
  }

  /** Waits for the record's one send into Kafka's buffer, acknowledges it, and returns its outcome. */
  private RecordMetadata acknowledgedOnceInKafka(CompletableFuture<RecordMetadata> sent) throws Exception {
    await().until(() -> kafka.history().size() == 1);
    kafka.completeNext();
    return sent.get();
  }

  @AfterEach
  void close() {
    if (producer != null) {
      producer.close(Duration.ZERO);
    }
  }

  @Test
  void sendAndFlush_reportAcknowledged_thenFailed_eachOnce() {
    MskProducer<String, String> p = producer(FlushPolicy.ASYNC, Duration.ofSeconds(5));
    CompletableFuture<RecordMetadata> first = p.send("orders", "k1", "v1");
    CompletableFuture<RecordMetadata> second = p.send("orders", "k2", "v2");
    kafka.completeNext();
    kafka.errorNext(new TopicAuthorizationException("denied"));

    FlushResult<String, String> r = p.flush(Duration.ofSeconds(5));

    assertThat(first).isCompleted();
    assertThat(r.acknowledged()).isEqualTo(1);
    assertThat(r.failed()).hasSize(1);
    assertThat(r.failed().get(0).cause())
        .isInstanceOf(MskAuthorizationException.class)
        .satisfies(
            e ->
                assertThat(((MskAuthorizationException) e).missingAction())
                    .isEqualTo(MskAuthorizationException.IamAction.WRITE_DATA));
    assertThat(r.failed().get(0).record().key()).isEqualTo("k2");
    assertThat(r.failed().get(0).toString()).doesNotContain("v2").doesNotContain("k2");
    assertThat(second).isCompletedExceptionally();
    assertThat(r.isComplete()).isFalse();
    assertThat(p.flush(Duration.ZERO).acknowledged()).isZero();
    assertThat(events).contains("failed orders");
  }

  @Test
  void aFutureItsCallerCompletedOrCancelled_doesNotEndAFlushsWaitForTheRecord() throws Exception {
    MskProducer<String, String> p = producer(FlushPolicy.ASYNC, Duration.ofSeconds(5));
    CompletableFuture<RecordMetadata> completed = p.send("orders", "k1", "v1");
    CompletableFuture<RecordMetadata> cancelled = p.send("orders", "k2", "v2");
    completed.complete(null); // e.g. orTimeout, or a caller that gave up
    cancelled.cancel(false);
    Thread io =
        new Thread(
            () -> {
              try {
                Thread.sleep(300);
              } catch (InterruptedException e) {
                return;
              }
              kafka.completeNext();
              kafka.errorNext(new TopicAuthorizationException("denied"));
            });
    io.start();

    FlushResult<String, String> r = p.flush(Duration.ofSeconds(30));
    io.join();

    // Both records waited for, and reported with their outcomes: nothing left pending.
    assertThat(r.pending()).isEmpty();
    assertThat(r.deadlineReached()).isFalse();
    assertThat(r.acknowledged()).isEqualTo(1);
    assertThat(r.failed()).extracting(f -> f.record().key()).containsExactly("k2");
  }

  @Test
  void aFlushWithADeadlineBeyondTheDeliveryTimeout_stillEndsAtItsDeadline_whenKafkasFlushDoesNot()
      throws Exception {
    // F12. Kafka's flush ends within the delivery timeout only while batches can expire: an
    // idempotent producer waiting for a producer id with no broker reachable expires none.
    deliveryTimeout = Duration.ofSeconds(2);
    MskProducer<String, String> p = producer(FlushPolicy.ASYNC, Duration.ofSeconds(5));
    kafka.flushHangs = true;
    p.send("orders", "k", "v");

    CompletableFuture<FlushResult<String, String>> flushed =
        CompletableFuture.supplyAsync(() -> p.flush(Duration.ofSeconds(3)));

    // A guard against a hang, not a speed target: the flush's own deadline ends it.
    FlushResult<String, String> r = flushed.get(2, TimeUnit.MINUTES);
    assertThat(r.deadlineReached()).isTrue();
    assertThat(r.pending()).extracting(ProducerRecord::key).containsExactly("k");
  }

  @Test
  void flush_stopsAtItsDeadline_reportingPending_andLaterReportsTheirOutcome() {
    MskProducer<String, String> p = producer(FlushPolicy.ASYNC, Duration.ofSeconds(5));
    p.send("orders", "k", "v");

    FlushResult<String, String> r = p.flush(Duration.ofMillis(200));

    assertThat(r.deadlineReached()).isTrue();
    assertThat(r.pending()).extracting(ProducerRecord::key).containsExactly("k");
    assertThat(r.acknowledged()).isZero();
    kafka.completeNext();
    FlushResult<String, String> later = p.flush(Duration.ofSeconds(5));
    assertThat(later.acknowledged()).isEqualTo(1);
    assertThat(later.pending()).isEmpty();
    assertThat(later.isComplete()).isTrue();
  }

  @Test
  void aRecordKafkaReportsTwice_hasOneOutcome() {
    MskProducer<String, String> p = producer(FlushPolicy.ASYNC, Duration.ofSeconds(5));
    kafka.appendAndFail = true;
    kafka.failInsideSend.add(new org.apache.kafka.common.errors.ClusterAuthorizationException("Cluster authorization failed."));

    CompletableFuture<RecordMetadata> f = p.send("orders", "k", "v");
    kafka.errorNext(new org.apache.kafka.common.errors.ClusterAuthorizationException("Cluster authorization failed."));

    assertThat(f).isCompletedExceptionally();
    assertThat(events.stream().filter(e -> e.startsWith("failed")).count()).as("heard once").isEqualTo(1);
    FlushResult<String, String> r = p.flush(Duration.ofSeconds(5));
    assertThat(r.failed()).hasSize(1);
    assertThat(r.pending()).isEmpty();
  }

  @Test
  void failureBeforeTheBuffer_withAPassingCause_isRetried_andHeard() throws Exception {
    MskProducer<String, String> p = producer(FlushPolicy.ASYNC, Duration.ofSeconds(5));
    kafka.failInsideSend.add(new TimeoutException("Topic orders not present in metadata after 5000 ms."));
    kafka.failInsideSend.add(new SaslAuthenticationException("Too many connects"));

    CompletableFuture<RecordMetadata> f = p.send("orders", "k", "v");

    assertThat(acknowledgedOnceInKafka(f)).isNotNull();
    assertThat(kafka.sends.get()).isEqualTo(3);
    assertThat(events)
        .containsSubsequence(
            "retry orders #1 MskDeliveryException", "retry orders #2 MskAuthenticationException");
    assertThat(p.flush(Duration.ZERO).acknowledged()).isEqualTo(1);
  }

  @Test
  void failureBeforeTheBuffer_thatCannotPass_isNotRetried() {
    MskProducer<String, String> p = producer(FlushPolicy.ASYNC, Duration.ofSeconds(5));
    kafka.failInsideSend.add(new TopicAuthorizationException("denied"));

    CompletableFuture<RecordMetadata> f = p.send("orders", "k", "v");

    assertThatThrownBy(f::get)
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(MskAuthorizationException.class)
        .satisfies(
            e ->
                assertThat(((MskAuthorizationException) e).missingAction())
                    .isEqualTo(MskAuthorizationException.IamAction.DESCRIBE_TOPIC));
    assertThat(kafka.sends.get()).isEqualTo(1);
  }

  @Test
  void kafkaThrowingAfterItReportedAFailureInsideSend_leavesTheRecordThatOutcome_once() throws Exception {
    MskProducer<String, String> p = producer(FlushPolicy.ASYNC, Duration.ofSeconds(5));

    // An Error (an interceptor's assertion) after the callback: it reaches the caller, and the
    // record still has the outcome Kafka reported, rather than none until close.
    kafka.failInsideSend.add(new TopicAuthorizationException("denied"));
    kafka.throwAfterCallback.set(new AssertionError("an interceptor's assertion"));
    assertThatThrownBy(() -> p.send("orders", "k", "v")).isInstanceOf(AssertionError.class);
    FlushResult<String, String> r = p.flush(Duration.ofSeconds(5));
    assertThat(r.pending()).isEmpty();
    assertThat(r.failed()).singleElement().satisfies(f -> assertThat(f.cause()).isInstanceOf(MskAuthorizationException.class));

    // A RuntimeException after the callback: the reported failure is handled once (a passing
    // cause gets one retry, not one per report).
    kafka.failInsideSend.add(new SaslAuthenticationException("Too many connects"));
    kafka.throwAfterCallback.set(new IllegalStateException("after the callback"));
    CompletableFuture<RecordMetadata> f = p.send("orders", "k", "v");
    assertThat(acknowledgedOnceInKafka(f)).isNotNull();
    assertThat(kafka.sends.get()).isEqualTo(3); // the first send above, this one, its retry
    Thread.sleep(200); // ten times the retry's back-off: a second retry would have run by now
    assertThat(kafka.sends.get()).isEqualTo(3);
    assertThat(p.flush(Duration.ZERO).acknowledged()).isEqualTo(1);

    // An Error with nothing reported before it: the record fails with it, not pending.
    kafka.throwInsteadOfSend.set(new AssertionError("a serializer's assertion"));
    CompletableFuture<RecordMetadata> sent = new CompletableFuture<>();
    assertThatThrownBy(() -> p.send(new ProducerRecord<>("orders", "k", "v"), (md, failure) -> sent.complete(md)))
        .isInstanceOf(AssertionError.class);
    assertThat(sent).isCompletedWithValue(null); // the callback heard a failure
    FlushResult<String, String> last = p.flush(Duration.ofSeconds(5));
    assertThat(last.pending()).isEmpty();
    assertThat(last.failed()).hasSize(1);
  }

  @Test
  void anErrorThrownByKafkasSendOnARetry_failsTheRecord_ratherThanLeavingItPendingUntilClose() {
    MskProducer<String, String> p = producer(FlushPolicy.ASYNC, Duration.ofSeconds(5));
    // The first attempt fails before the buffer with a passing cause; its retry, on the retry
    // scheduler, meets a serializer's Error (e.g. one initialised lazily): nobody is there to
    // catch it, so it must become the record's outcome.
    kafka.failInsideSend.add(new SaslAuthenticationException("Too many connects"));
    kafka.throwOnceFailuresRunOut.set(new AssertionError("a serializer's assertion on the retry"));

    CompletableFuture<RecordMetadata> f = p.send("orders", "k", "v");

    assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasRootCauseInstanceOf(AssertionError.class);
    assertThat(kafka.sends.get()).isEqualTo(2); // not retried again
    FlushResult<String, String> r = p.flush(Duration.ofSeconds(5));
    assertThat(r.pending()).isEmpty();
    assertThat(r.failed()).singleElement().satisfies(x -> assertThat(x.cause()).hasRootCauseInstanceOf(AssertionError.class));
  }

  @Test
  void retries_stopAtMaxAttempts_andTheLastCauseIsReported() {
    MskProducer<String, String> p = producer(FlushPolicy.ASYNC, Duration.ofSeconds(5));
    for (int i = 0; i < 5; i++) {
      kafka.failInsideSend.add(new SaslAuthenticationException("Too many connects"));
    }

    CompletableFuture<RecordMetadata> f = p.send("orders", "k", "v");

    assertThatThrownBy(f::get)
        .cause()
        .isInstanceOf(MskAuthenticationException.class)
        .satisfies(e -> assertThat(((MskProducerException) e).isRetriable()).isTrue())
        .satisfies(
            e ->
                assertThat(((MskAuthenticationException) e).reason())
                    .isEqualTo(MskAuthenticationException.Reason.TOO_MANY_CONNECTS));
    assertThat(kafka.sends.get()).isEqualTo(3);
  }

  @Test
  void retries_stayWithinTheMaxBlockBudget() {
    MskProducer<String, String> p = producer(FlushPolicy.ASYNC, Duration.ofMillis(1));
    kafka.failInsideSend.add(new SaslAuthenticationException("Too many connects"));
    kafka.failAfterMillis = 5; // the failure comes after the 1 ms budget

    CompletableFuture<RecordMetadata> f = p.send("orders", "k", "v");

    assertThat(f).isCompletedExceptionally();
    assertThat(kafka.sends.get()).isEqualTo(1);
  }

  @Test
  void aKnownTopicsSendThatTimedOutInKafka_countsAsHavingWaitedMaxBlock_otherFailuresAsImmediate()
      throws Exception {
    // A known topic's send reads no clock (no listener here wants its latency): a failure before
    // the buffer estimates when it began.
    listening = false;
    MskProducer<String, String> p = producer(FlushPolicy.ASYNC, Duration.ofSeconds(5));
    CompletableFuture<RecordMetadata> first = p.send("orders", "k", "v");
    assertThat(acknowledgedOnceInKafka(first)).isNotNull();

    kafka.failInsideSend.add(new TimeoutException("Topic orders not present in metadata after 5000 ms."));
    CompletableFuture<RecordMetadata> timedOut = p.send("orders", "k", "v");
    assertThat(timedOut).as("Kafka waited max block (5 s): the budget is spent").isCompletedExceptionally();
    assertThat(kafka.sends.get()).isEqualTo(2);

    kafka.failInsideSend.add(new SaslAuthenticationException("Too many connects"));
    CompletableFuture<RecordMetadata> refused = p.send("orders", "k", "v");
    await().until(() -> kafka.history().size() == 2);
    kafka.completeNext();
    assertThat(refused.get()).as("refused at once: retried within the budget").isNotNull();
    assertThat(kafka.sends.get()).isEqualTo(4);
  }

  @Test
  void theRetryBudget_countsTheWaitForTheProducersStart() throws Exception {
    // No listener: a send takes no clock reading of its own, only the one before it may wait.
    // A budget long enough that a slow machine does not spend it between steps.
    maxElapsed = Duration.ofSeconds(1);
    MskProducer<String, String> p = producerStartingLater(Duration.ofSeconds(30));
    kafka.failInsideSend.add(new SaslAuthenticationException("Too many connects"));
    CompletableFuture<CompletableFuture<RecordMetadata>> sent = new CompletableFuture<>();
    Thread sender = new Thread(() -> sent.complete(p.send("orders", "k", "v")));
    sender.start();
    // The send is waiting for the start (a timed wait) before the clock of the test starts.
    await().until(() -> sender.getState() == Thread.State.TIMED_WAITING);
    Thread.sleep(2_000); // twice the retry budget
    assertThat(sent).isNotDone();
    p.started(kafka, Map.of(), released::incrementAndGet);
    CompletableFuture<RecordMetadata> waited = sent.get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThatThrownBy(waited::get)
        .as("a cause that may pass, but the budget went on waiting for the start")
        .cause()
        .isInstanceOf(MskAuthenticationException.class);
    assertThat(kafka.sends.get()).isEqualTo(1);

    // The same cause on a started producer is retried within the budget.
    kafka.failInsideSend.add(new SaslAuthenticationException("Too many connects"));
    CompletableFuture<RecordMetadata> prompt = p.send("orders", "k", "v");
    assertThat(acknowledgedOnceInKafka(prompt)).isNotNull();
    assertThat(kafka.sends.get()).isEqualTo(3);
  }

  @Test
  void serializationFailure_isADeliveryFailure_notRetried() {
    MskProducer<String, String> p = producer(FlushPolicy.ASYNC, Duration.ofSeconds(5));
    kafka.failInsideSend.add(new SerializationException("cannot serialize"));

    CompletableFuture<RecordMetadata> f = p.send("orders", "k", "v");

    assertThatThrownBy(f::get)
        .cause()
        .isInstanceOf(MskDeliveryException.class)
        .hasMessageContaining("could not be serialized")
        .satisfies(e -> assertThat(((MskProducerException) e).isRetriable()).isFalse());
    assertThat(p.flush(Duration.ZERO).failed()).hasSize(1);
  }

  @Test
  void aSendRacingClose_thatKafkaRefusesAsClosed_failsAsClosed_notRetried_andIsReported() {
    MskProducer<String, String> p = producer(FlushPolicy.ASYNC, Duration.ofSeconds(5));
    // What Kafka's send throws once its producer is closed (its text is fenced, and checked
    // per Kafka version, in KafkaClientFacts): this producer's close() raced the send.
    kafka.throwInsteadOfSend.set(
        new IllegalStateException("Cannot perform operation after producer has been closed"));
    List<Throwable> heard = new java.util.concurrent.CopyOnWriteArrayList<>();

    p.send(new ProducerRecord<>("orders", "k", "v"), (md, e) -> heard.add(e));

    assertThat(heard).hasSize(1);
    assertThat(heard.get(0))
        .isInstanceOf(MskProducerClosedException.class)
        .hasMessageContaining("closed while this call ran")
        .hasMessageContaining("nothing was sent to topic orders")
        .hasMessageContaining("build a new producer")
        .satisfies(e -> assertThat(((MskProducerException) e).isRetriable()).isFalse())
        .hasCauseInstanceOf(IllegalStateException.class);
    assertThat(kafka.sends.get()).as("not retried").isEqualTo(1);
    FlushResult<String, String> r = p.flush(Duration.ZERO);
    assertThat(r.failed()).singleElement().satisfies(f -> assertThat(f.cause()).isSameAs(heard.get(0)));
  }

  @Test
  void failure_isEmptyWhileStartingAndOnceStarted_andSaysClosedOnceClosed_withoutWaiting() {
    MskProducer<String, String> p = producerStartingLater(Duration.ofSeconds(30));
    assertThat(p.failure()).as("still starting").isEmpty();
    p.started(kafka, Map.of(), released::incrementAndGet);
    assertThat(p.failure()).as("started").isEmpty();
    p.close(Duration.ZERO);
    assertThat(p.failure())
        .hasValueSatisfying(
            e -> assertThat(e).isInstanceOf(MskProducerClosedException.class).hasMessageContaining("is closed"));
  }

  @Test
  void close_failsWhatIsStillInFlight_visibly_andReleasesOnce() {
    MskProducer<String, String> p = producer(FlushPolicy.ASYNC, Duration.ofSeconds(5));
    CompletableFuture<RecordMetadata> f = p.send("orders", "k", "v");

    p.close(Duration.ZERO);
    p.close(Duration.ZERO);

    assertThat(f).isCompletedExceptionally();
    FlushResult<String, String> r = p.flush(Duration.ZERO);
    assertThat(r.failed()).hasSize(1);
    assertThat(r.failed().get(0).cause()).isInstanceOf(MskDeliveryException.class);
    assertThat(released.get()).isEqualTo(1);
    assertThat(events).containsOnlyOnce("closed");
    assertThat(p.send("orders", "v"))
        .isCompletedExceptionally()
        .failsWithin(Duration.ZERO)
        .withThrowableOfType(ExecutionException.class)
        .withMessageContaining("closed");
  }

  @Test
  void sendAndWait_timesOut_withARetriableDeliveryException_andTheRecordStaysTracked() {
    MskProducer<String, String> p = producer(FlushPolicy.ASYNC, Duration.ofSeconds(5));

    assertThatThrownBy(
            () -> p.sendAndWait(new ProducerRecord<>("orders", "k", "v"), Duration.ofMillis(100)))
        .isInstanceOf(MskDeliveryException.class)
        .hasMessageContaining("stays in flight")
        .satisfies(e -> assertThat(((MskDeliveryException) e).isRetriable()).isTrue())
        .satisfies(e -> assertThat(((MskDeliveryException) e).keyHash()).hasValue("k".hashCode()));
    assertThat(p.flush(Duration.ZERO).pending()).hasSize(1);
  }

  @Test
  void perSendPolicy_returnsOnlyOnceTheRecordHasAnOutcome() {
    MskProducer<String, String> p = producer(FlushPolicy.PER_SEND, Duration.ofSeconds(5));
    CompletableFuture.runAsync(
        () -> {
          await().until(() -> kafka.history().size() == 1);
          kafka.completeNext();
        });

    CompletableFuture<RecordMetadata> f = p.send("orders", "k", "v");

    assertThat(f).isCompleted();
  }
}
