package io.github.mskproducer.core.internal.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** TopicCheck's logic with a fake cluster and blocking calls that stand in for Kafka's send. */
class TopicCheckTest {
  private final List<TopicCheck> made = new ArrayList<>();
  private final AtomicInteger probesMade = new AtomicInteger();
  private final AtomicInteger probesClosed = new AtomicInteger();
  private final AtomicInteger questions = new AtomicInteger();

  @AfterEach
  void close() {
    made.forEach(TopicCheck::close);
  }

  private TopicCheck check(Boolean answer, boolean authenticated) {
    TopicCheck c =
        new TopicCheck(
            () -> {
              probesMade.incrementAndGet();
              return new TopicCheck.Probe() {
                @Override
                public Boolean exists(String topic, Duration timeout) {
                  questions.incrementAndGet();
                  return answer;
                }

                @Override
                public void close() {
                  probesClosed.incrementAndGet();
                }
              };
            },
            () -> authenticated,
            Duration.ofSeconds(2),
            "test-metadata");
    made.add(c);
    return c;
  }

  /** Blocks until released or interrupted, as Kafka's send waits for metadata. */
  private static Boolean blockUntil(CountDownLatch release) throws InterruptedException {
    if (!release.await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("never released");
    }
    return true;
  }

  @Test
  void aSendThatGotItsMetadataBeforeTheCheckWasDue_opensNoProbe() {
    // The bug: the check, due a quarter of max block after the first send, opened an admin
    // client even when no send was waiting any more (after every Lambda thaw, for one).
    TopicCheck c = check(true, true);
    assertThat(c.run("fast", () -> true)).isTrue();

    // The check is due 500 ms after the send (max block 2 s): watch past that.
    org.awaitility.Awaitility.await()
        .during(Duration.ofMillis(1500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> probesMade.get() == 0);
  }

  @Test
  void aTopicTheClusterDoesNotHave_failsEveryWaitingSend_withOneProbeAskedTwice() throws Exception {
    TopicCheck c = check(false, true);
    CountDownLatch never = new CountDownLatch(1);
    // Two callers at once, each on a thread of its own (the common pool may have only one).
    java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(2);
    CompletableFuture<Boolean> first = CompletableFuture.supplyAsync(() -> c.run("t", () -> blockUntil(never)), callers);
    CompletableFuture<Boolean> second = CompletableFuture.supplyAsync(() -> c.run("t", () -> blockUntil(never)), callers);

    for (CompletableFuture<Boolean> f : List.of(first, second)) {
      assertThatThrownBy(() -> f.get(20, TimeUnit.SECONDS))
          .hasCauseInstanceOf(TopicNotFoundException.class)
          .hasMessageContaining("topic t does not exist");
    }
    assertThat(questions).hasValue(2);
    assertThat(probesMade).hasValue(1);
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> probesClosed.get() == 1);
    assertThat(c.isKnown("t")).isFalse();
    callers.shutdownNow();
  }

  @Test
  void aTopicThatExists_isLeftToKafkasWait() throws Exception {
    TopicCheck c = check(true, true);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Boolean> sent = CompletableFuture.supplyAsync(() -> c.run("t", () -> blockUntil(release)));
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> questions.get() == 1);
    release.countDown();
    assertThat(sent.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(questions).hasValue(1);
  }

  @Test
  void beforeTheProducerAuthenticated_theClusterIsNotAsked() throws Exception {
    TopicCheck c = check(false, false);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Boolean> sent = CompletableFuture.supplyAsync(() -> c.run("t", () -> blockUntil(release)));
    Thread.sleep(1500); // past the check's start (500 ms for a 2 s max block)
    release.countDown();
    assertThat(sent.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(probesMade).hasValue(0);
  }

  @Test
  void aFailureThatIsNotTheInterruptedWait_keepsItsOwnCause() {
    TopicCheck c = check(false, true);
    CompletableFuture<Boolean> sent =
        CompletableFuture.supplyAsync(
            () ->
                c.run(
                    "t",
                    () -> {
                      try {
                        return blockUntil(new CountDownLatch(1));
                      } catch (InterruptedException e) {
                        throw new IllegalStateException("a serializer's own failure");
                      }
                    }));
    assertThatThrownBy(() -> sent.get(20, TimeUnit.SECONDS))
        .hasCauseInstanceOf(IllegalStateException.class)
        .hasMessageContaining("a serializer's own failure");
  }

  @Test
  void anInterruptedCaller_interruptsTheSend_andKeepsItsInterrupt() throws Exception {
    TopicCheck c = check(true, false);
    AtomicBoolean callerStillInterrupted = new AtomicBoolean();
    AtomicBoolean sendInterrupted = new AtomicBoolean();
    Thread caller =
        new Thread(
            () -> {
              try {
                c.run(
                    "t",
                    () -> {
                      try {
                        return blockUntil(new CountDownLatch(1));
                      } catch (InterruptedException e) {
                        sendInterrupted.set(true);
                        throw e;
                      }
                    });
              } catch (RuntimeException expected) {
                // the send's failure
              }
              callerStillInterrupted.set(Thread.currentThread().isInterrupted());
            });
    caller.start();
    Thread.sleep(200);
    caller.interrupt();
    caller.join(10_000);
    assertThat(sendInterrupted).isTrue();
    assertThat(callerStillInterrupted).isTrue();
  }

  @Test
  void afterClose_sendsRunOnTheCallersThread() {
    TopicCheck c = check(true, true);
    c.close();
    Thread caller = Thread.currentThread();
    assertThat(c.run("t", () -> Thread.currentThread() == caller)).isTrue();
  }
}
