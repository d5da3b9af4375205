package io.github.mskproducer.core.internal.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The interrupt that ends Kafka's flush at a deadline (F12), its timer, and what they leave
 * behind: never an interrupted caller, never a thread after close, never a growing list.
 */
class DeadlineInterruptTest {
  private static final AtomicInteger TIMERS = new AtomicInteger();
  /** Its own thread name per test: a previous test's timer may still be on its way out. */
  private final String timerName = "test-flush-deadlines-" + TIMERS.incrementAndGet();
  private final FlushDeadlines deadlines = new FlushDeadlines(timerName);

  @AfterEach
  void stop() {
    deadlines.close();
    Thread.interrupted(); // never leave the test runner's thread interrupted
  }

  private static long in(long millis) {
    return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
  }

  /** A call with no deadline of its own: returns whether it ended by itself. */
  private static boolean blockUntilInterrupted() {
    try {
      return new CountDownLatch(1).await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      return false;
    }
  }

  @Test
  void aCallStillRunningAtTheDeadline_isInterrupted_andTheInterruptIsClearedAfterwards() {
    DeadlineInterrupt interrupt = deadlines.arm(in(50));

    boolean endedByItself = blockUntilInterrupted();

    assertThat(endedByItself).isFalse();
    assertThat(interrupt.disarm()).isTrue();
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void anEarlierDeadline_armedWhileTheTimerSleepsUntilALaterOne_stillFiresAtItsOwn() {
    DeadlineInterrupt later = deadlines.arm(in(60_000));
    Thread timer = threadNamed(timerName);
    await().atMost(Duration.ofSeconds(30)).until(() -> timer.getState() == Thread.State.TIMED_WAITING);
    // The timer sleeps until the later deadline: the earlier one must wake it.
    DeadlineInterrupt earlier = deadlines.arm(in(50));

    boolean endedByItself = blockUntilInterrupted();

    assertThat(endedByItself).isFalse();
    assertThat(earlier.disarm()).isTrue();
    assertThat(later.done()).isFalse(); // armed from this thread too, not fired
    assertThat(later.disarm()).isFalse();
  }

  @Test
  void aCallThatEndedBeforeTheDeadline_isNeverInterrupted_evenWhenTheTimerRunsLater() {
    DeadlineInterrupt interrupt = new DeadlineInterrupt(in(0));

    assertThat(interrupt.disarm()).isFalse();
    interrupt.run(); // the timer, too late

    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void theCallersOwnInterrupt_isLeftAsItIs_whenTheTimerDidNotFire() {
    DeadlineInterrupt interrupt = deadlines.arm(in(60_000));
    Thread.currentThread().interrupt(); // someone else's, during the call

    assertThat(interrupt.disarm()).isFalse();
    assertThat(Thread.currentThread().isInterrupted()).isTrue();
  }

  @Test
  void aTimerRacingTheEndOfTheCall_neverLeavesTheThreadInterrupted() throws Exception {
    // Deadlines that fall in the same instant as the call's end, thousands of times: whichever
    // wins, the thread is not interrupted afterwards.
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicBoolean leftInterrupted = new AtomicBoolean();
    int[] fired = {0};
    int[] notFired = {0};
    Thread caller =
        new Thread(
            () -> {
              try {
                for (int i = 0; i < 6_000; i++) {
                  // A third of the calls outlast their deadline, a third end long before it, and a
                  // third end just as it falls.
                  long now = System.nanoTime();
                  long deadline = i % 3 == 0 ? now : i % 3 == 1 ? now + 50_000 : now + 1_000_000_000;
                  long callEnds = i % 3 == 0 ? now + 5_000_000 : i % 3 == 1 ? now + 50_000 : now;
                  DeadlineInterrupt interrupt = deadlines.arm(deadline);
                  while (System.nanoTime() - callEnds < 0 && !Thread.currentThread().isInterrupted()) {
                    Thread.onSpinWait();
                  }
                  if (interrupt.disarm()) {
                    fired[0]++;
                  } else {
                    notFired[0]++;
                  }
                  if (Thread.currentThread().isInterrupted()) {
                    leftInterrupted.set(true);
                    return;
                  }
                }
              } catch (Throwable t) {
                failure.set(t);
              }
            });
    caller.start();
    caller.join(TimeUnit.MINUTES.toMillis(2));

    assertThat(caller.isAlive()).isFalse();
    assertThat(failure.get()).isNull();
    assertThat(leftInterrupted.get()).isFalse();
    // Both ends of the race were taken: the timer fired during the call, and the call ended first.
    assertThat(fired[0]).isPositive();
    assertThat(notFired[0]).isPositive();
  }

  @Test
  void manyFlushesInARow_holdAFewInterruptsAtATime_notOnePerFlush() {
    for (int i = 0; i < 100_000; i++) {
      deadlines.arm(in(60_000)).disarm();
    }

    assertThat(deadlines.held()).isLessThanOrEqualTo(32);
  }

  @Test
  void flushesInARow_thatEachEndLongBeforeTheirDeadline_doNotWakeTheTimerEachTime() throws Exception {
    for (int i = 0; i < 200; i++) {
      DeadlineInterrupt interrupt = deadlines.arm(in(60_000));
      assertThat(interrupt.disarm()).isFalse(); // a flush that ends before a woken timer looks
      Thread.sleep(1); // the time between flushes: the timer looks meanwhile
    }

    // Its first look when it starts, and at most two more (spurious wake-ups): not one per flush.
    assertThat(deadlines.scans()).isLessThanOrEqualTo(3);
  }

  @Test
  void afterClose_nothingFires_noThreadIsLeft_andArmingSaysItIsClosed() throws Exception {
    DeadlineInterrupt interrupt = deadlines.arm(in(100));
    Thread timer = threadNamed(timerName);
    assertThat(timer).isNotNull();

    deadlines.close();
    timer.join(10_000);

    assertThat(timer.isAlive()).isFalse();
    assertThat(deadlines.arm(in(100))).isNull();
    Thread.sleep(200);
    assertThat(interrupt.disarm()).isFalse();
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void onlyTheArmedThreadMayDisarm() throws Exception {
    DeadlineInterrupt interrupt = deadlines.arm(in(60_000));
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread other =
        new Thread(
            () -> {
              try {
                interrupt.disarm();
              } catch (Throwable t) {
                thrown.set(t);
              }
            });
    other.start();
    other.join();

    assertThat(thrown.get()).isInstanceOf(IllegalStateException.class).hasMessageContaining("disarm()");
    assertThat(interrupt.disarm()).isFalse();
  }

  private static Thread threadNamed(String name) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals(name))
        .findFirst()
        .orElse(null);
  }
}
