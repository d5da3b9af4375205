package io.github.mskproducer.core.internal.send;

import io.github.mskproducer.core.FailedRecord;
import io.github.mskproducer.core.FlushResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Every record accepted by {@code send} from acceptance to its outcome, so that a flush can say
 * what was acknowledged, what failed and what is still pending: nothing drops out unseen. One
 * lock; the work under it is a map operation or a counter.
 */
public final class DeliveryTracker<K, V> {
  private final Map<Long, Entry<K, V>> inFlight = new LinkedHashMap<>();
  private final List<FailedRecord<K, V>> failed = new ArrayList<>();
  private long nextId;
  private long acknowledged;

  private static final class Entry<K, V> {
    final ProducerRecord<K, V> record;
    final CompletableFuture<?> outcome;

    Entry(ProducerRecord<K, V> record, CompletableFuture<?> outcome) {
      this.record = record;
      this.outcome = outcome;
    }
  }

  /** Starts tracking a record; returns its id. */
  public synchronized long begin(ProducerRecord<K, V> record, CompletableFuture<?> outcome) {
    long id = nextId++;
    inFlight.put(id, new Entry<>(record, outcome));
    return id;
  }

  public synchronized void acknowledged(long id) {
    if (inFlight.remove(id) != null) {
      acknowledged++;
    }
  }

  public synchronized void failed(long id, FailedRecord<K, V> failure) {
    if (inFlight.remove(id) != null) {
      failed.add(failure);
    }
  }

  /** The outcome futures of the records in flight now. */
  public synchronized List<CompletableFuture<?>> inFlightOutcomes() {
    List<CompletableFuture<?>> outcomes = new ArrayList<>(inFlight.size());
    inFlight.values().forEach(e -> outcomes.add(e.outcome));
    return outcomes;
  }

  public synchronized int inFlightCount() {
    return inFlight.size();
  }

  /**
   * Fails every record still in flight (the producer closed before they got an outcome) and
   * completes their futures with the failure.
   */
  public void failRemaining(Function<ProducerRecord<K, V>, FailedRecord<K, V>> failure) {
    Map<CompletableFuture<?>, FailedRecord<K, V>> toComplete = new LinkedHashMap<>();
    synchronized (this) {
      for (Entry<K, V> e : inFlight.values()) {
        FailedRecord<K, V> f = failure.apply(e.record);
        failed.add(f);
        toComplete.put(e.outcome, f);
      }
      inFlight.clear();
    }
    toComplete.forEach((outcome, f) -> outcome.completeExceptionally(f.cause()));
  }

  /**
   * What happened since the last drain: the acknowledged count and the failures (both then
   * reset), and the records still in flight (which stay tracked).
   */
  public synchronized FlushResult<K, V> drain(boolean deadlineReached) {
    List<ProducerRecord<K, V>> pending = new ArrayList<>(inFlight.size());
    inFlight.values().forEach(e -> pending.add(e.record));
    FlushResult<K, V> result =
        new FlushResult<>(acknowledged, failed, pending, deadlineReached && !pending.isEmpty());
    acknowledged = 0;
    failed.clear();
    return result;
  }
}
