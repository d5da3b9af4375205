package io.github.mskproducer.core.internal.send;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mskproducer.core.FailedRecord;
import io.github.mskproducer.core.FlushResult;
import io.github.mskproducer.core.MskDeliveryException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class DeliveryTrackerTest {
  /** How often the tracker read an entry's state, in all tests: only deltas are compared. */
  private static final java.util.concurrent.atomic.AtomicLong READS =
      new java.util.concurrent.atomic.AtomicLong();

  private static class E implements DeliveryTracker.Entry<String, String> {
    final CompletableFuture<String> outcome = new CompletableFuture<>();
    final ProducerRecord<String, String> record;
    // 0 pending, 1 claimed, 2 claimed for a failure not queued yet (see Entry#claimFailure)
    final java.util.concurrent.atomic.AtomicInteger state = new java.util.concurrent.atomic.AtomicInteger();

    E(String value) {
      record = new ProducerRecord<>("t", value);
    }

    @Override
    public ProducerRecord<String, String> record() {
      return record;
    }

    @Override
    public CompletableFuture<String> completion() {
      return outcome;
    }

    @Override
    public boolean settled() {
      return outcome.isDone();
    }

    @Override
    public void failedAtClose(io.github.mskproducer.core.MskProducerException cause) {
      outcome.completeExceptionally(cause);
    }

    @Override
    public boolean claim() {
      return state.compareAndSet(0, 1);
    }

    @Override
    public boolean claimFailure() {
      return state.compareAndSet(0, 2);
    }

    @Override
    public void failureQueued() {
      state.set(1);
    }

    @Override
    public boolean pending() {
      READS.incrementAndGet();
      return state.get() != 1;
    }

    volatile Object mark;

    @Override
    public Object mark() {
      return mark;
    }

    @Override
    public void mark(Object mark) {
      this.mark = mark;
    }
  }

  private final DeliveryTracker<String, String> tracker = new DeliveryTracker<>();

  @Test
  void drain_reportsAcknowledgedFailedAndPendingInSendOrder_eachOnce() {
    List<E> entries = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      E e = new E("v" + i);
      tracker.begin(e);
      entries.add(e);
    }
    tracker.acknowledged(entries.get(1));
    tracker.acknowledged(entries.get(1)); // a second outcome for one record counts nothing
    assertThat(entries.get(1).mark()).isNull(); // its entry no longer holds the tracker's chunk
    assertThat(entries.get(0).mark()).isNotNull();
    tracker.failed(entries.get(3), new FailedRecord<>(entries.get(3).record, new MskDeliveryException("x", null, false, "t", null, null)));

    FlushResult<String, String> r = tracker.drain(true);
    assertThat(r.acknowledged()).isEqualTo(1);
    assertThat(r.failed()).hasSize(1);
    assertThat(r.pending()).extracting(ProducerRecord::value).containsExactly("v0", "v2", "v4");
    assertThat(r.deadlineReached()).isTrue();
    assertThat(tracker.inFlight()).hasSize(3);

    FlushResult<String, String> again = tracker.drain(false);
    assertThat(again.acknowledged()).isZero();
    assertThat(again.failed()).isEmpty();
    assertThat(again.pending()).hasSize(3);
  }

  @Test
  void failRemaining_failsEveryRecordInFlight_andCompletesTheirFutures() {
    E a = new E("a");
    E b = new E("b");
    tracker.begin(a);
    tracker.begin(b);
    tracker.acknowledged(a);
    tracker.failRemaining(rec -> new FailedRecord<>(rec, new MskDeliveryException("closed", null, true, "t", null, null)));

    assertThat(b.outcome).isCompletedExceptionally();
    assertThat(a.outcome).isNotDone(); // its owner completes it, not the tracker
    FlushResult<String, String> r = tracker.drain(false);
    assertThat(r.acknowledged()).isEqualTo(1);
    assertThat(r.failed()).extracting(f -> f.record().value()).containsExactly("b");
    assertThat(r.pending()).isEmpty();
  }

  @Test
  void aSenderAndAnIoThreadAtOnce_withDrainsInBetween_loseAndDoubleNothing() throws Exception {
    int n = 200_000;
    BlockingQueue<E> handOff = new ArrayBlockingQueue<>(1024);
    Thread sender =
        new Thread(
            () -> {
              for (int i = 0; i < n; i++) {
                E e = new E(Integer.toString(i));
                tracker.begin(e);
                try {
                  handOff.put(e);
                } catch (InterruptedException ex) {
                  return;
                }
              }
            });
    Thread io =
        new Thread(
            () -> {
              for (int i = 0; i < n; i++) {
                try {
                  tracker.acknowledged(handOff.take());
                } catch (InterruptedException ex) {
                  return;
                }
              }
            });
    sender.start();
    io.start();
    long acknowledged = 0;
    while (io.isAlive()) {
      FlushResult<String, String> r = tracker.drain(false);
      acknowledged += r.acknowledged();
      assertThat(r.pending().size()).isLessThanOrEqualTo(n);
    }
    sender.join(TimeUnit.SECONDS.toMillis(30));
    io.join(TimeUnit.SECONDS.toMillis(30));
    FlushResult<String, String> last = tracker.drain(false);
    acknowledged += last.acknowledged();
    assertThat(acknowledged).isEqualTo(n);
    assertThat(last.pending()).isEmpty();
    assertThat(tracker.inFlightCount()).isZero();
  }

  @Test
  void recordsWithAnOutcome_areSweptOut_evenBehindOneThatNeverGetsOne() {
    E stuck = new E("stuck"); // a record on a partition that never answers
    tracker.begin(stuck);
    for (int i = 0; i < 1_000_000; i++) {
      E e = new E("v");
      tracker.begin(e);
      tracker.acknowledged(e);
    }
    // Sweeps run as chunks fill: what stays is the stuck record and the chunks not full yet or
    // still waiting for outcomes, a few tens of thousands of entries at most, not 10^6.
    assertThat(tracker.held()).isLessThan((DeliveryTracker.YOUNG_CHUNKS + 2) * 1024);
    assertThat(tracker.inFlight()).containsExactly(stuck);
    assertThat(tracker.held()).isLessThanOrEqualTo(16 + 1024); // its husk's slots shrank
    // The stuck record keeps its chunk for its count, and nothing after it: the chunks swept
    // since are unreachable, and a record with an outcome keeps no chunk either (a future the
    // caller holds must not).
    assertThat(tracker.husksCut()).isTrue();
    FlushResult<String, String> r = tracker.drain(false);
    assertThat(r.acknowledged()).isEqualTo(1_000_000);
    assertThat(r.pending()).extracting(ProducerRecord::value).containsExactly("stuck");
  }

  @Test
  void manySendersAnIoThreadAndReports_atOnce_loseAndDoubleNothing() throws Exception {
    int senders = 8;
    int perSender = 50_000;
    BlockingQueue<E> handOff = new ArrayBlockingQueue<>(4096);
    List<Thread> threads = new ArrayList<>();
    List<Throwable> problems = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int s = 0; s < senders; s++) {
      int id = s;
      threads.add(
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < perSender; i++) {
                    E e = new E(id + "-" + i);
                    tracker.begin(e);
                    if (i % 5_000 == 0) {
                      // A caller's own record, begun and not acknowledged yet, is in a report
                      // it asks for next, whatever the other callers are doing.
                      if (!tracker.inFlight().contains(e)) {
                        problems.add(new AssertionError("not in flight: " + e.record.value()));
                      }
                    }
                    handOff.put(e);
                  }
                } catch (Throwable t) {
                  problems.add(t);
                }
              }));
    }
    Thread io =
        new Thread(
            () -> {
              java.util.Random random = new java.util.Random(1);
              List<E> held = new ArrayList<>();
              try {
                for (int i = 0; i < senders * perSender; i++) {
                  held.add(handOff.take());
                  if (held.size() >= 64 || i == senders * perSender - 1) {
                    java.util.Collections.shuffle(held, random); // outcomes out of send order
                    held.forEach(tracker::acknowledged);
                    held.clear();
                  }
                }
              } catch (Throwable t) {
                problems.add(t);
              }
            });
    threads.forEach(Thread::start);
    io.start();
    long acknowledged = 0;
    while (io.isAlive()) {
      acknowledged += tracker.drain(false).acknowledged();
    }
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(60));
    }
    io.join(TimeUnit.SECONDS.toMillis(60));
    FlushResult<String, String> last = tracker.drain(false);
    acknowledged += last.acknowledged();
    assertThat(problems).isEmpty();
    assertThat(acknowledged).isEqualTo((long) senders * perSender);
    assertThat(last.pending()).isEmpty();
    // The chunk not full yet stays.
    assertThat(tracker.held()).isLessThanOrEqualTo(1024);
  }

  @Test
  void manySenderThreads_eachThreadsPendingRecordsStayInItsSendOrder() throws Exception {
    // Tens of thousands of records each, so that chunks fill and are swept (and their pending
    // entries kept in husks) while records are pending.
    int senders = 7;
    int perSender = 36_000; // past YOUNG_CHUNKS chunks: pending entries are kept in husks too
    List<Thread> threads = new ArrayList<>();
    List<Throwable> problems = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int s = 0; s < senders; s++) {
      int id = s;
      threads.add(
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < perSender; i++) {
                    E e = new E(id + "-" + i);
                    tracker.begin(e);
                    if (i % 3 == 0) {
                      tracker.acknowledged(e);
                    }
                  }
                } catch (Throwable t) {
                  problems.add(t);
                }
              }));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(60));
      assertThat(t.isAlive()).isFalse();
    }
    assertThat(problems).isEmpty();
    FlushResult<String, String> r = tracker.drain(false);
    assertThat(r.acknowledged()).isEqualTo((long) senders * (perSender / 3));
    assertThat(r.pending()).hasSize(senders * (perSender - perSender / 3));
    int[] lastSeen = new int[senders];
    java.util.Arrays.fill(lastSeen, -1);
    for (ProducerRecord<String, String> p : r.pending()) {
      String[] parts = p.value().split("-");
      int sender = Integer.parseInt(parts[0]);
      int i = Integer.parseInt(parts[1]);
      assertThat(i).as("record %s after %d of its thread", p.value(), lastSeen[sender]).isGreaterThan(lastSeen[sender]);
      lastSeen[sender] = i;
    }
  }

  @Test
  void manyRecordsInFlight_likeAPausedBroker_thenOutcomesOutOfOrder_areCountedOnce() {
    List<E> all = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      E e = new E("v" + i);
      tracker.begin(e);
      all.add(e);
    }
    // Past the chunks that may wait, the pending entries were kept in husks; none is lost.
    assertThat(tracker.inFlightCount()).isEqualTo(100_000);
    java.util.Collections.shuffle(all, new java.util.Random(7));
    for (int i = 0; i < all.size(); i++) {
      if (i % 1000 == 0) {
        tracker.failed(all.get(i), new FailedRecord<>(all.get(i).record, new MskDeliveryException("x", null, false, "t", null, null)));
      } else {
        tracker.acknowledged(all.get(i));
      }
      if (i == 50_000) {
        FlushResult<String, String> half = tracker.drain(false);
        assertThat(half.acknowledged() + half.failed().size() + half.pending().size()).isEqualTo(100_000);
      }
    }
    FlushResult<String, String> r = tracker.drain(false);
    assertThat(r.pending()).isEmpty();
    assertThat(tracker.held()).isLessThanOrEqualTo(1024);
  }

  @Test
  void recordsWaitingBehindAPausedBroker_costTheSendersNoReads_andAreAllReported() {
    // A paused broker (or a partition whose leader is gone): nothing comes back while the
    // senders go on. The chunks past the young
    // ones become husks as they fill; a husk whose records have no outcome keeps them as they
    // are, so a send never reads another record's state (each read of an old record is a cache
    // miss on the sender's core).
    List<E> all = new ArrayList<>();
    long before = READS.get();
    for (int i = 0; i < 200_000; i++) {
      E e = new E("v" + i);
      tracker.begin(e);
      all.add(e);
    }
    assertThat(READS.get() - before).isZero();
    // Then the broker answers some: only the husks whose counts moved are read again.
    for (int i = 0; i < 1024; i++) {
      tracker.acknowledged(all.get(i));
    }
    List<DeliveryTracker.Entry<String, String>> inFlight = tracker.inFlight();
    assertThat(inFlight).hasSize(200_000 - 1024);
    assertThat(inFlight.get(0)).isSameAs(all.get(1024));
    assertThat(inFlight.get(inFlight.size() - 1)).isSameAs(all.get(all.size() - 1));
    // Nothing moved since: a second listing reads only the chunks not swept yet, no husk.
    long beforeSecond = READS.get();
    assertThat(tracker.inFlight()).hasSize(200_000 - 1024);
    assertThat(READS.get() - beforeSecond).isLessThanOrEqualTo((DeliveryTracker.YOUNG_CHUNKS + 1) * 1024L);
    // One outcome in the middle of a husk: that husk alone is read again.
    tracker.acknowledged(all.get(50_000));
    long beforeThird = READS.get();
    List<DeliveryTracker.Entry<String, String>> third = tracker.inFlight();
    assertThat(third).hasSize(200_000 - 1024 - 1).doesNotContain(all.get(50_000));
    assertThat(READS.get() - beforeThird).isLessThanOrEqualTo((DeliveryTracker.YOUNG_CHUNKS + 2) * 1024L);
    FlushResult<String, String> r = tracker.drain(false);
    assertThat(r.acknowledged()).isEqualTo(1024 + 1);
    assertThat(r.pending()).hasSize(200_000 - 1024 - 1);
  }

  @Test
  void aSenderDescheduledBetweenItsReservationAndItsWrite_holdsUpNoOtherSender() throws Exception {
    // With more sender threads than cores, a sender can lose its core between reserving its
    // record's slot and writing it, for a scheduler's period. The sender whose record fills a
    // chunk sweeps; it must not wait for that slot to husk the chunk (it did: it spun and
    // yielded with the reader lock held, measured at 16 sender threads on 2 cores).
    java.util.concurrent.CountDownLatch reserved = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch resume = new java.util.concurrent.CountDownLatch(1);
    E slow =
        new E("slow") {
          @Override
          public void mark(Object mark) {
            if (mark != null && reserved.getCount() > 0) { // between reservation and write
              reserved.countDown();
              try {
                resume.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            super.mark(mark);
          }
        };
    Thread slowSender = new Thread(() -> tracker.begin(slow), "slow-sender");
    slowSender.setDaemon(true);
    slowSender.start();
    assertThat(reserved.await(10, TimeUnit.SECONDS)).isTrue();
    // Another sender fills the slow one's chunk and the young ones after it, nothing
    // acknowledged (a paused broker): each chunk it fills past the young ones is a sweep that
    // finds the slow one's chunk to husk.
    int others = (DeliveryTracker.YOUNG_CHUNKS + 8) * 1024;
    List<E> sent = new ArrayList<>();
    CompletableFuture<Void> fast = new CompletableFuture<>();
    Thread fastSender =
        new Thread(
            () -> {
              try {
                for (int i = 0; i < others; i++) {
                  E e = new E("v" + i);
                  tracker.begin(e);
                  sent.add(e);
                }
                fast.complete(null);
              } catch (Throwable t) {
                fast.completeExceptionally(t);
              }
            },
            "fast-sender");
    fastSender.setDaemon(true);
    fastSender.start();
    try {
      fast.get(30, TimeUnit.SECONDS); // before: never, until the slow sender wrote its slot
    } finally {
      resume.countDown();
    }
    slowSender.join(10_000);
    assertThat(slowSender.isAlive()).isFalse();
    // Once written, the next sweep husks the chunks it held back: no records lost, and what
    // the tracker holds back to its bound.
    for (E e : sent) {
      tracker.acknowledged(e);
    }
    for (int i = 0; i < 2 * 1024; i++) {
      E e = new E("w");
      tracker.begin(e);
      tracker.acknowledged(e);
    }
    assertThat(tracker.inFlight()).containsExactly(slow);
    assertThat(tracker.held()).isLessThan((DeliveryTracker.YOUNG_CHUNKS + 2) * 1024);
    FlushResult<String, String> r = tracker.drain(false);
    assertThat(r.acknowledged()).isEqualTo(others + 2 * 1024L);
    assertThat(r.pending()).containsExactly(slow.record);
  }

  @Test
  void afterABacklogClears_itsHusksAreLetGo_withoutAReport() {
    // A service that never flushes: a broker paused long enough for husks, then answering.
    List<E> backlog = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      E e = new E("v");
      tracker.begin(e);
      backlog.add(e);
    }
    backlog.forEach(tracker::acknowledged);
    for (int i = 0; i < (DeliveryTracker.YOUNG_CHUNKS + 100) * 1024; i++) {
      E e = new E("w");
      tracker.begin(e);
      tracker.acknowledged(e);
    }
    // Only what the young chunks may hold is left, without a drain or a listing.
    assertThat(tracker.held()).isLessThan((DeliveryTracker.YOUNG_CHUNKS + 2) * 1024);
    assertThat(tracker.drain(false).acknowledged())
        .isEqualTo(100_000 + (DeliveryTracker.YOUNG_CHUNKS + 100) * 1024L);
  }

  @Test
  void outcomesOfRecordsNeverBegunHere_areCounted() {
    E failedBeforeKafka = new E("a"); // e.g. sent after close: failed without being tracked
    tracker.failed(failedBeforeKafka, new FailedRecord<>(failedBeforeKafka.record, new MskDeliveryException("x", null, false, "t", null, null)));
    E acked = new E("b");
    tracker.acknowledged(acked);
    FlushResult<String, String> r = tracker.drain(false);
    assertThat(r.acknowledged()).isEqualTo(1);
    assertThat(r.failed()).extracting(f -> f.record().value()).containsExactly("a");
  }

  @Test
  void aStuckRecordKeptInAHusk_isStillFailedAtClose_andEveryOtherCounted() {
    E stuck = new E("stuck");
    tracker.begin(stuck);
    for (int i = 0; i < (DeliveryTracker.YOUNG_CHUNKS + 3) * 1024; i++) {
      E e = new E("v");
      tracker.begin(e);
      tracker.acknowledged(e);
    }
    List<FailedRecord<String, String>> failedAtClose =
        tracker.failRemaining(rec -> new FailedRecord<>(rec, new MskDeliveryException("closed", null, true, "t", null, null)));
    assertThat(failedAtClose).extracting(f -> f.record().value()).containsExactly("stuck");
    FlushResult<String, String> r = tracker.drain(false);
    assertThat(r.acknowledged()).isEqualTo((DeliveryTracker.YOUNG_CHUNKS + 3) * 1024);
    assertThat(r.failed()).extracting(f -> f.record().value()).containsExactly("stuck");
    assertThat(r.pending()).isEmpty();
    assertThat(tracker.drain(false).acknowledged()).isZero();
  }

  private static FailedRecord<String, String> failure(E e) {
    return new FailedRecord<>(e.record, new MskDeliveryException("failed", null, false, "t", null, null));
  }

  @Test
  void aFailureClaimedButNotQueuedWhileAReportIsMade_isPendingInThatReport_andFailedInTheNext()
      throws Exception {
    java.util.concurrent.CountDownLatch claimed = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
    E slow =
        new E("slow") {
          @Override
          public boolean claimFailure() {
            boolean mine = super.claimFailure();
            claimed.countDown(); // Kafka's I/O thread, descheduled between claim and queue
            try {
              go.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return mine;
          }
        };
    tracker.begin(slow);
    Thread io = new Thread(() -> tracker.failed(slow, failure(slow)));
    io.start();
    claimed.await();

    FlushResult<String, String> during = tracker.drain(true);
    go.countDown();
    io.join();
    FlushResult<String, String> after = tracker.drain(false);

    // In neither report, a Lambda's SQS batch response would count its item as a success.
    assertThat(during.failed()).isEmpty();
    assertThat(during.pending()).extracting(ProducerRecord::value).containsExactly("slow");
    assertThat(after.failed()).extracting(f -> f.record().value()).containsExactly("slow");
    assertThat(after.pending()).isEmpty();
  }

  @Test
  void aFailureQueuedWhileAReportListsThePending_isReportedAsFailedOnly() {
    E other = new E("other");
    E late =
        new E("late") {
          boolean recordRead;
          boolean once;

          @Override
          public ProducerRecord<String, String> record() {
            recordRead = true; // only a report reads it: then asks whether it is pending
            return super.record();
          }

          @Override
          public boolean pending() {
            boolean before = super.pending();
            if (recordRead && !once) { // the report has read it as pending: its failure is queued now
              once = true;
              tracker.failed(this, failure(this));
            }
            return before;
          }
        };
    tracker.begin(late);
    tracker.begin(other);

    FlushResult<String, String> r = tracker.drain(true);

    assertThat(r.failed()).extracting(f -> f.record().value()).containsExactly("late");
    assertThat(r.pending()).extracting(ProducerRecord::value).containsExactly("other");
    assertThat(tracker.drain(false).failed()).isEmpty();
  }

  /** An entry whose future is never completed: the wake-up that a callback record can miss. */
  private static final class Missed extends java.util.concurrent.atomic.AtomicBoolean {
    final E entry = new E("missed") {
      @Override
      public boolean settled() {
        return Missed.this.get();
      }
    };
  }

  @Test
  void awaitSettled_findsAnOutcomeWhoseWakeUpWasMissed_longBeforeTheDeadline() throws Exception {
    Missed missed = new Missed();
    E told = new E("told");
    Thread io =
        new Thread(
            () -> {
              try {
                Thread.sleep(20);
              } catch (InterruptedException e) {
                return;
              }
              told.outcome.complete("ok");
              missed.set(true); // settled, and nobody completes its future
            });
    io.start();
    // A deadline of ten minutes: only the waiter's own look can end this wait (the test's
    // timeout below guards against a hang, it is not a speed target).
    long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
    CompletableFuture<Boolean> waited =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return DeliveryTracker.awaitSettled(List.of(told, missed.entry), end);
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    assertThat(waited.get(2, TimeUnit.MINUTES)).isTrue();
    assertThat(missed.entry.outcome).as("its future was never completed").isNotDone();
    io.join();
  }

  @Test
  void awaitSettled_falseAtTheDeadline_trueAtOnceWhenAllAreSettled() throws Exception {
    E pending = new E("pending");
    E done = new E("done");
    done.outcome.complete("ok");
    assertThat(DeliveryTracker.awaitSettled(List.of(pending, done), System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(30)))
        .isFalse();
    assertThat(DeliveryTracker.awaitSettled(List.of(done), System.nanoTime())).isTrue();
    java.util.concurrent.atomic.AtomicInteger waiters = new java.util.concurrent.atomic.AtomicInteger();
    E late =
        new E("late") {
          @Override
          public CompletableFuture<String> completion() {
            waiters.incrementAndGet();
            return super.completion();
          }
        };
    assertThat(DeliveryTracker.awaitSettled(List.of(late, done), System.nanoTime() - 1)).isFalse();
    assertThat(waiters).as("no waiter made once the deadline has passed").hasValue(0);
    E failed = new E("failed");
    failed.outcome.completeExceptionally(new IllegalStateException("x"));
    CompletableFuture.runAsync(() -> pending.outcome.completeExceptionally(new IllegalStateException("late")));
    assertThat(DeliveryTracker.awaitSettled(List.of(pending, failed), System.nanoTime() + TimeUnit.MINUTES.toNanos(1)))
        .as("a failure is an outcome")
        .isTrue();
  }
}
