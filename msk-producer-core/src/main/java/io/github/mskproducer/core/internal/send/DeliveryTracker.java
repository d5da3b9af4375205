package io.github.mskproducer.core.internal.send;

import io.github.mskproducer.core.FailedRecord;
import io.github.mskproducer.core.FlushResult;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Every record accepted by {@code send} from acceptance to its outcome, so that a flush can say
 * what was acknowledged, what failed and what is still pending: nothing drops out unseen, and
 * nothing is reported twice.
 *
 * <p>Built for the threads that meet here on every record, the callers' ({@link #begin}) and
 * Kafka's I/O thread ({@link #acknowledged}), so that none of them waits for another and none
 * reads what another just wrote. A caller reserves a slot in the current chunk of entries (an
 * array of 1,024, in send order) with one atomic increment, and no lock. The I/O thread claims
 * the record's outcome with a compare-and-set on its entry and counts it in the entry's chunk.
 * One thread at a time, under a lock callers never wait for, reads the chunks: a report, or a
 * sweep run by the caller whose append fills a chunk. A sweep drops the full chunks whose
 * records all have an outcome by their counts, without reading their entries (reading each
 * entry, as the first versions did, moved every entry's cache line back from the I/O thread's
 * core: about a tenth of the caller's time). Full chunks with records still in flight wait for
 * a later sweep, up to {@value #YOUNG_CHUNKS} of them; beyond that (a stuck partition, a
 * paused broker) their pending entries are copied out into a list that is filtered again each
 * time it doubles, so that each record costs O(1) and what is held stays bounded. A report
 * ({@link #drain}) takes the outcomes first, then the entries still pending: a record whose
 * outcome lands while a report is being assembled is in this report or the next, never in
 * both, never in neither.
 *
 * <p>Measured with the benchmark suite: a synchronized map touched by both threads on every
 * record cost a third of the throughput of 100-byte records; a list under one lock that every
 * caller took made sender threads wait for each other (scaling table 9a).
 */
public final class DeliveryTracker<K, V> {
  private static final int CHUNK = 1024;
  /** Full chunks with records in flight that may wait for their outcomes before a sweep. */
  static final int YOUNG_CHUNKS = 32;
  private static final int MIN_KEPT_FILTER = 1024;
  // Counters of a chunk, 64 bytes apart: callers reserve, the I/O thread counts outcomes.
  private static final int RESERVED = 0;
  private static final int ACKED = 16;
  private static final int FAILED = 32;
  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Entry[].class);
  private static final VarHandle CURRENT;
  private static final VarHandle NEXT;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      CURRENT = lookup.findVarHandle(DeliveryTracker.class, "current", Chunk.class);
      NEXT = lookup.findVarHandle(Chunk.class, "next", Chunk.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * A tracked record. The producer's implementation is also the future its caller holds, so
   * that one object per record is all the I/O thread touches.
   */
  public interface Entry<K, V> {
    /** The record; null once it has an outcome (so that a future kept does not keep it). */
    ProducerRecord<K, V> record();

    /**
     * A future that completes once the record has an outcome and it is counted: the one the
     * caller of {@code send} holds, or for a send with a callback one made now. For a callback
     * record it may miss the outcome by a hair: wait with {@link #awaitSettled}.
     */
    CompletableFuture<?> completion();

    /**
     * Whether the outcome is known and counted, and the sender told: a flush need not wait for
     * it.
     */
    boolean settled();

    /** Tells the sender (future or callback) that the producer failed the record at close. */
    void failedAtClose(io.github.mskproducer.core.MskProducerException cause);

    /** Claims the record's outcome: true the first time only. */
    boolean claim();

    /** Whether nobody claimed the outcome yet. */
    boolean pending();

    /**
     * The tracker's mark on this entry (where it counts the outcome), kept in the entry so that
     * tracking allocates nothing per record; only the tracker uses it.
     */
    Object mark();

    /** Sets {@link #mark()}; only the tracker calls it, before the entry can have an outcome. */
    void mark(Object mark);
  }

  /** Entries in send order; each slot written once, by the caller that reserved it. */
  private static final class Chunk {
    Entry<?, ?>[] slots = new Entry<?, ?>[CHUNK]; // null once swept
    final AtomicIntegerArray counts = new AtomicIntegerArray(FAILED + 1);
    @SuppressWarnings("unused") // through NEXT
    volatile Chunk next;
    int reportedAcks; // under the reader lock: acknowledgements counted in reports
    int doneUpTo; // under the reader lock: the entries before this slot all have an outcome

    boolean full() {
      return counts.get(RESERVED) >= CHUNK;
    }

    boolean allDone() {
      return counts.get(ACKED) + counts.get(FAILED) == CHUNK;
    }

    /** Acknowledgements since the last report; under the reader lock. */
    int newAcks() {
      int a = counts.get(ACKED);
      int d = a - reportedAcks;
      reportedAcks = a;
      return d;
    }

    /** The entry in slot {@code i}, reserved: waits for its caller to write it. */
    @SuppressWarnings("unchecked")
    <K, V> Entry<K, V> await(int i) {
      Entry<K, V> e;
      for (int spins = 0; (e = (Entry<K, V>) SLOT.getAcquire(slots, i)) == null; spins++) {
        if (spins < 100) {
          Thread.onSpinWait();
        } else {
          Thread.yield(); // the caller was descheduled between its reservation and its write
        }
      }
      return e;
    }

    /** The chunk after this one, made if needed. */
    Chunk successor() {
      Chunk n = next;
      if (n == null) {
        Chunk made = new Chunk();
        n = NEXT.compareAndSet(this, null, made) ? made : next;
      }
      return n;
    }
  }

  // What a swept chunk links to once no caller can append to it any more, so that a chunk
  // kept for its pending entries (a husk) does not keep every later chunk reachable.
  private static final Chunk SWEPT = new Chunk();

  /** Fills a reserved slot whose caller failed (an Error) before it wrote its entry. */
  private static final Entry<?, ?> ABANDONED =
      new Entry<Object, Object>() {
        @Override
        public ProducerRecord<Object, Object> record() {
          return null;
        }

        @Override
        public CompletableFuture<?> completion() {
          return CompletableFuture.completedFuture(null);
        }

        @Override
        public boolean settled() {
          return true;
        }

        @Override
        public void failedAtClose(io.github.mskproducer.core.MskProducerException cause) {}

        @Override
        public boolean claim() {
          return false;
        }

        @Override
        public boolean pending() {
          return false;
        }

        @Override
        public Object mark() {
          return null;
        }

        @Override
        public void mark(Object mark) {}
      };

  @SuppressWarnings("unused") // through CURRENT
  private volatile Chunk current = new Chunk(); // where callers append
  private final AtomicInteger fullChunks = new AtomicInteger(); // filled, not swept yet
  private final ReentrantLock reader = new ReentrantLock(); // one sweep or report at a time
  // Under the reader lock:
  private Chunk oldest = current; // the first chunk not swept yet
  private Entry<?, ?>[] kept = new Entry<?, ?>[16]; // copied out of swept chunks, in send order
  private int keptSize;
  private int keptFilterAt = MIN_KEPT_FILTER;
  private final List<Chunk> husks = new ArrayList<>(); // swept chunks with entries in kept
  private int husksFilterAt = 16;
  private long acksOfDropped; // acknowledgements of dropped chunks not reported yet

  private final ConcurrentLinkedQueue<FailedRecord<K, V>> failed = new ConcurrentLinkedQueue<>();
  private final AtomicLong untrackedAcks = new AtomicLong();

  /** Starts tracking a record. */
  public void begin(Entry<K, V> entry) {
    while (true) {
      Chunk c = current;
      int i = c.counts.getAndIncrement(RESERVED);
      if (i < CHUNK) {
        try {
          entry.mark(c);
          SLOT.setRelease(c.slots, i, entry);
        } catch (Throwable e) { // e.g. a StackOverflowError: readers must not wait for the slot
          SLOT.setRelease(c.slots, i, ABANDONED);
          c.counts.incrementAndGet(FAILED);
          if (i == CHUNK - 1) {
            fullChunks.incrementAndGet();
          }
          throw e;
        }
        if (i == CHUNK - 1) {
          filled();
        }
        return;
      }
      CURRENT.compareAndSet(this, c, c.successor()); // full: on to the next one
    }
  }

  /** This caller filled a chunk: sweeps, unless another thread is reading the chunks. */
  private void filled() {
    fullChunks.incrementAndGet();
    if (reader.tryLock()) {
      try {
        sweep();
      } finally {
        reader.unlock();
      }
    }
  }

  /** The record was acknowledged; false if it already had an outcome. */
  public boolean acknowledged(Entry<K, V> entry) {
    if (!entry.claim()) {
      return false;
    }
    Chunk c = (Chunk) entry.mark();
    if (c != null) {
      c.counts.incrementAndGet(ACKED);
      entry.mark(null); // a future the caller keeps must not keep the chunk
    } else {
      untrackedAcks.incrementAndGet(); // not begun here; counted all the same
    }
    return true;
  }

  /** The record failed; false if it already had an outcome. */
  public boolean failed(Entry<K, V> entry, FailedRecord<K, V> failure) {
    if (!entry.claim()) {
      return false;
    }
    failed.add(failure);
    Chunk c = (Chunk) entry.mark();
    if (c != null) { // else it failed before it was begun here (never reached Kafka)
      c.counts.incrementAndGet(FAILED);
      entry.mark(null);
    }
    return true;
  }

  /** The records in flight now, in send order. */
  public List<Entry<K, V>> inFlight() {
    return pendingEntries();
  }

  /** How many records are in flight now. */
  public int inFlightCount() {
    return pendingEntries().size();
  }

  /**
   * Fails every record still in flight (the producer closed before they got an outcome) and
   * completes their futures with the failure.
   *
   * @return the records failed here, for the listeners
   */
  public List<FailedRecord<K, V>> failRemaining(
      Function<ProducerRecord<K, V>, FailedRecord<K, V>> failure) {
    Map<Entry<K, V>, FailedRecord<K, V>> toComplete = new LinkedHashMap<>();
    for (Entry<K, V> e : pendingEntries()) {
      ProducerRecord<K, V> r = e.record();
      if (r == null) {
        continue; // its outcome came meanwhile
      }
      FailedRecord<K, V> f = failure.apply(r);
      if (failed(e, f)) {
        toComplete.put(e, f);
      }
    }
    toComplete.forEach((e, f) -> e.failedAtClose(f.cause()));
    return new ArrayList<>(toComplete.values());
  }

  /** The longest a waiter goes without looking at the entries itself: see {@link #awaitSettled}. */
  static final long MAX_LOOK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  /**
   * Waits until every entry is {@linkplain Entry#settled() settled}, or until {@code endNanos}
   * ({@link System#nanoTime()}).
   *
   * <p>Use this, never {@link Entry#completion()} alone: for a record sent with a callback, the
   * outcome is published without a full fence on Kafka's I/O thread (one fence per record saved
   * there), so a waiter that registers at the very moment the outcome lands may not be told.
   * Its outcome is visible all the same: this looks at the entries itself after 1 ms, and then
   * at doubling intervals of at most {@value #MAX_LOOK_NANOS} ns for the rest of the wait (each
   * look reads on from the first record not settled), so a missed wake-up costs a millisecond,
   * not the deadline.
   *
   * @return true if every entry is settled, false if the deadline came first
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public static boolean awaitSettled(List<? extends Entry<?, ?>> entries, long endNanos)
      throws InterruptedException {
    List<Entry<?, ?>> left = new ArrayList<>();
    for (Entry<?, ?> e : entries) {
      if (!e.settled()) {
        left.add(e);
      }
    }
    if (left.isEmpty()) {
      return true;
    }
    if (endNanos - System.nanoTime() <= 0) {
      return false; // no waiters made for nothing: each would cost Kafka's I/O thread a completion
    }
    CompletableFuture<?>[] futures = new CompletableFuture<?>[left.size()];
    for (int i = 0; i < futures.length; i++) {
      futures[i] = left.get(i).completion();
    }
    CompletableFuture<Void> all =
        futures.length == 1 ? futures[0].thenApply(x -> null) : CompletableFuture.allOf(futures);
    long look = TimeUnit.MILLISECONDS.toNanos(1);
    int settled = 0; // the entries before this index are settled: each look reads on from it
    while (true) {
      long remaining = endNanos - System.nanoTime();
      if (remaining <= 0) {
        return settledFrom(left, settled) == left.size();
      }
      try {
        all.get(Math.min(remaining, look), TimeUnit.NANOSECONDS);
        return true;
      } catch (java.util.concurrent.ExecutionException e) {
        return true; // done, some with a failure: the outcomes are in the entries
      } catch (java.util.concurrent.TimeoutException e) {
        settled = settledFrom(left, settled);
        if (settled == left.size()) {
          return true;
        }
        look = Math.min(look * 2, MAX_LOOK_NANOS);
      }
    }
  }

  /** The index of the first entry from {@code i} on that is not settled, or the list's size. */
  private static int settledFrom(List<Entry<?, ?>> entries, int i) {
    while (i < entries.size() && entries.get(i).settled()) {
      i++;
    }
    return i;
  }

  /**
   * What happened since the last drain: the acknowledged count and the failures (both then
   * reset), and the records still in flight, in send order (which stay tracked).
   */
  public FlushResult<K, V> drain(boolean deadlineReached) {
    reader.lock(); // one report at a time
    try {
      sweep();
      long acks = acksOfDropped;
      acksOfDropped = 0;
      acks += untrackedAcks.getAndSet(0);
      for (int h = husks.size() - 1; h >= 0; h--) {
        Chunk c = husks.get(h);
        boolean done = c.allDone(); // read first: once all are done, no count moves any more
        acks += c.newAcks();
        if (done) {
          husks.remove(h);
        }
      }
      for (Chunk c = oldest; c != null; c = c.next) {
        acks += c.newAcks();
      }
      List<FailedRecord<K, V>> failures = new ArrayList<>();
      for (FailedRecord<K, V> f; (f = failed.poll()) != null; ) {
        failures.add(f);
      }
      List<Entry<K, V>> entries = pendingLocked();
      List<ProducerRecord<K, V>> pending = new ArrayList<>(entries.size());
      for (Entry<K, V> e : entries) {
        ProducerRecord<K, V> r = e.record(); // read first: it is cleared after the claim
        if (r != null && e.pending()) {
          pending.add(r);
        }
      }
      return new FlushResult<>(acks, failures, pending, deadlineReached && !pending.isEmpty());
    } finally {
      reader.unlock();
    }
  }

  /** How many entries the tracker holds now, with an outcome or not (for tests of its bound). */
  int held() {
    reader.lock();
    try {
      int n = keptSize;
      for (Chunk c = oldest; c != null; c = c.next) {
        n += Math.min(CHUNK, c.counts.get(RESERVED));
      }
      return n;
    } finally {
      reader.unlock();
    }
  }

  /** The entries still pending, in send order; sweeps the others out. */
  private List<Entry<K, V>> pendingEntries() {
    reader.lock();
    try {
      sweep();
      return pendingLocked();
    } finally {
      reader.unlock();
    }
  }

  /**
   * Under the reader lock: the entries still pending in send order: those copied out by
   * sweeps (filtered again here), then those of the chunks not swept, up to the last slot
   * reserved when the listing started (a record begun later is in the next report).
   */
  @SuppressWarnings("unchecked")
  private List<Entry<K, V>> pendingLocked() {
    filterKept();
    Chunk last = current;
    int lastReserved = Math.min(CHUNK, last.counts.get(RESERVED));
    List<Entry<K, V>> out = new ArrayList<>(keptSize + 16);
    for (int j = 0; j < keptSize; j++) {
      out.add((Entry<K, V>) kept[j]);
    }
    for (Chunk c = oldest; ; c = c.next) {
      if (!c.allDone()) {
        int n = c == last ? lastReserved : Math.min(CHUNK, c.counts.get(RESERVED));
        int i = c.doneUpTo;
        // The leading entries with an outcome are not read again (a Lambda's flush reads only
        // the records sent since the one before).
        while (i < n && !c.await(i).pending()) {
          i++;
        }
        c.doneUpTo = i;
        for (; i < n; i++) {
          Entry<K, V> e = c.await(i);
          if (e.pending()) {
            out.add(e);
          }
        }
      }
      if (c == last || c.next == null) {
        return out;
      }
    }
  }

  /**
   * Under the reader lock: drops the full chunks whose records all have an outcome, from the
   * oldest; past {@value #YOUNG_CHUNKS} full chunks, copies the pending entries of the oldest
   * ones out and keeps them as husks (their counts still come in).
   */
  private void sweep() {
    Chunk c = oldest;
    int full = fullChunks.get();
    while (c.full()) {
      if (c.allDone()) {
        acksOfDropped += c.newAcks();
      } else if (full > YOUNG_CHUNKS) {
        for (int i = 0; i < CHUNK; i++) {
          Entry<?, ?> e = c.await(i);
          if (e.pending()) {
            keep(e);
          }
        }
        husks.add(c);
      } else {
        break; // records in flight: a later sweep, most likely without reading them
      }
      c.slots = null;
      full--;
      fullChunks.decrementAndGet();
      Chunk n = c.successor();
      cut(c);
      c = n;
    }
    oldest = c;
    if (keptSize >= keptFilterAt || husks.size() >= husksFilterAt) {
      filterKept();
    }
  }

  /**
   * Under the reader lock: unlinks a swept chunk from the chunks after it, once callers have
   * moved past it (a caller that still holds it finds it full, and moves on from the current
   * chunk). Until then it stays linked; a husk is tried again at each filtering.
   */
  private void cut(Chunk c) {
    if (c != current && c.next != SWEPT) {
      NEXT.setRelease(c, SWEPT);
    }
  }

  private void keep(Entry<?, ?> e) {
    if (keptSize == kept.length) {
      kept = Arrays.copyOf(kept, keptSize * 2);
    }
    kept[keptSize++] = e;
  }

  /** Under the reader lock: drops the kept entries with an outcome, and husks with none left. */
  private void filterKept() {
    int n = 0;
    for (int j = 0; j < keptSize; j++) {
      Entry<?, ?> e = kept[j];
      if (e.pending()) {
        kept[n++] = e;
      }
    }
    Arrays.fill(kept, n, keptSize, null);
    keptSize = n;
    keptFilterAt = Math.max(MIN_KEPT_FILTER, 2 * n);
    if (kept.length > 64 && n < kept.length / 4) {
      kept = Arrays.copyOf(kept, Math.max(16, 2 * n));
    }
    for (int h = husks.size() - 1; h >= 0; h--) {
      Chunk c = husks.get(h);
      if (c.allDone()) {
        acksOfDropped += c.newAcks();
        husks.remove(h);
      } else {
        cut(c);
      }
    }
    husksFilterAt = Math.max(16, 2 * husks.size());
  }

  /** Whether every husk is unlinked from the chunks after it (for tests of the bound). */
  boolean husksCut() {
    reader.lock();
    try {
      filterKept();
      for (Chunk c : husks) {
        if (c.next != SWEPT) {
          return false;
        }
      }
      return true;
    } finally {
      reader.unlock();
    }
  }
}
