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
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class DeliveryTrackerTest {
  private static final class E implements DeliveryTracker.Entry<String, String> {
    final CompletableFuture<String> outcome = new CompletableFuture<>();
    final ProducerRecord<String, String> record;
    final AtomicBoolean claimed = new AtomicBoolean();

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
      return claimed.compareAndSet(false, true);
    }

    @Override
    public boolean pending() {
      return !claimed.get();
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
}
