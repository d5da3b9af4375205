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
 * paused broker) the oldest becomes a husk: its slots keep only its pending entries (as they
 * are, without reading one, when none has an outcome yet: a paused broker's), once every slot
 * is written (a sweep never waits for a caller between its reservation and its write). Husks
 * are filtered again at each report, when they have doubled in number, and as chunks are
 * dropped again once outcomes come back; a husk whose counts did not move since its last filter
 * is not read. So each record costs O(1), records that wait cost no reads, and what is held
 * stays bounded (as long as each caller writes the slot it reserved, which {@link #begin}
 * does even when it fails). A report ({@link #drain}) takes the outcomes first, then the entries still
 * pending: a record whose outcome lands while a report is being assembled is in this report or
 * the next, never in both, never in neither.
 *
 * <p>Measured with the benchmark suite: a synchronized map touched by both threads on every
 * record cost a third of the throughput of 100-byte records; a list under one lock that every
 * caller took made sender threads wait for each other (scaling table 9a).
 *
 * <p>Some 730 lines, a quarter of them comments: the chunks, their sweeps and husks, the reports
 * and the waits for settled records share the chunks' layout and their memory-ordering rules,
 * which are safest read in one file; the entry's side of the contract is {@link Entry},
 * implemented by {@code Delivery}.
 */
public final class DeliveryTracker<K, V> {
  private static final int CHUNK = 1024;
  /** Full chunks with records in flight that may wait for their outcomes before a sweep. */
  static final int YOUNG_CHUNKS = 32;
  // Counters of a chunk, each on a cache line of its own: callers reserve, the I/O thread counts
  // outcomes. 64 bytes apart, and 64 bytes from either end of the array: at index 0 the callers'
  // counter shared its line with the array's header and the AtomicIntegerArray before it, which
  // the I/O thread reads for every acknowledgement.
  private static final int RESERVED = 16;
  private static final int ACKED = 32;
  private static final int FAILED = 48;
  private static final int COUNTERS_LENGTH = FAILED + 16;
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

    /** Claims the record's outcome for an acknowledgement: true the first time only. */
    boolean claim();

    /**
     * Claims the record's outcome for a failure: true the first time only. The record stays
     * {@linkplain #pending() pending} until {@link #failureQueued()}, so that a report being
     * assembled meanwhile lists it as pending or as failed, never as neither.
     */
    boolean claimFailure();

    /** The failure claimed by {@link #claimFailure()} is queued for the reports. */
    void failureQueued();

    /** Whether the record has no outcome yet, or a failure not queued for the reports yet. */
    boolean pending();

    /**
     * The tracker's mark on this entry (where it counts the outcome), kept in the entry so that
     * tracking allocates nothing per record; only the tracker uses it.
     */
    Object mark();

    /** Sets {@link #mark()}; only the tracker calls it, before the entry can have an outcome. */
    void mark(Object mark);
  }

  /**
   * Entries in send order; each slot written once, by the caller that reserved it. Once swept
   * with records still in flight, a husk: its first {@code kept} slots then hold the entries
   * that were pending at its last filter.
   */
  private static final class Chunk {
    Entry<?, ?>[] slots = new Entry<?, ?>[CHUNK]; // null once dropped
    final AtomicIntegerArray counts = new AtomicIntegerArray(COUNTERS_LENGTH);
    @SuppressWarnings("unused") // through NEXT
    volatile Chunk next;
    int reportedAcks; // under the reader lock: acknowledgements counted in reports
    int doneUpTo; // under the reader lock: the entries before this slot all have an outcome
    int kept; // under the reader lock, for a husk: how many slots hold its pending entries
    int keptAtDone; // under the reader lock, for a husk: done() when its slots were last filtered
    int written; // under the reader lock: the slots before this one are written

    boolean full() {
      return counts.get(RESERVED) >= CHUNK;
    }

    /** Outcomes counted so far. */
    int done() {
      return counts.get(ACKED) + counts.get(FAILED);
    }

    boolean allDone() {
      return done() == CHUNK;
    }

    /**
     * Under the reader lock: makes this full chunk a husk, its slots its pending entries. The
     * count is read first: an entry is claimed before it is counted, so the ones it counts are
     * not taken as pending, and any counted later make the next filter read the slots again.
     * With no outcome counted yet, every entry is pending: the slots stay as they are, unread.
     *
     * @return false, changing nothing, while a caller has not written the slot it reserved (a
     *     sender thread descheduled between the two, which with more sender threads than cores
     *     lasts a scheduler's period): a later sweep tries again, rather than this caller, a
     *     sender too, waiting for it with the reader lock held
     */
    boolean husk() {
      int done = done();
      for (int i = written; i < CHUNK; i++) {
        if (SLOT.getAcquire(slots, i) == null) {
          written = i; // the slots before it are not read again
          return false;
        }
      }
      written = CHUNK;
      kept = CHUNK;
      keptAtDone = 0;
      if (done > 0) {
        filter(done);
      }
      return true;
    }

    /**
     * Under the reader lock, for a husk: keeps only the entries still pending, if outcomes were
     * counted since the last filter; a husk left with few gets smaller slots.
     */
    void filterHusk() {
      int done = done();
      if (done != keptAtDone) {
        filter(done);
      }
    }

    private void filter(int done) {
      int n = 0;
      for (int j = 0; j < kept; j++) {
        Entry<?, ?> e = slots[j];
        if (e.pending()) {
          slots[n++] = e;
        }
      }
      Arrays.fill(slots, n, kept, null);
      kept = n;
      keptAtDone = done;
      if (slots.length > 16 && n < slots.length / 4) {
        slots = Arrays.copyOf(slots, Math.max(16, 2 * n));
      }
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
        public boolean claimFailure() {
          return false;
        }

        @Override
        public void failureQueued() {}

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
  private final List<Chunk> husks = new ArrayList<>(); // swept with entries pending, in send order
  private int droppedSinceFilter; // chunks dropped by sweeps since the husks' last filter
  private int husksFilterAt = 16;
  private long acksOfDropped; // acknowledgements of dropped chunks not reported yet

  private final ConcurrentLinkedQueue<Failure<K, V>> failed = new ConcurrentLinkedQueue<>();
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

  /** A failure queued for the reports, with its entry (to tell it from the pending ones). */
  private static final class Failure<K, V> {
    final Entry<K, V> entry;
    final FailedRecord<K, V> record;

    Failure(Entry<K, V> entry, FailedRecord<K, V> record) {
      this.entry = entry;
      this.record = record;
    }
  }

  /** The record failed; false if it already had an outcome. */
  public boolean failed(Entry<K, V> entry, FailedRecord<K, V> failure) {
    if (!entry.claimFailure()) {
      return false;
    }
    try {
      failed.add(new Failure<>(entry, failure));
    } finally {
      entry.failureQueued();
    }
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
   * not the deadline. A future its caller completed or cancelled is no sign of anything: the
   * record is waited for by looking, at the same intervals.
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
    boolean yielded = false;
    while (true) {
      long remaining = endNanos - System.nanoTime();
      if (remaining <= 0) {
        return settledFrom(left, settled) == left.size();
      }
      long wait = Math.min(remaining, look);
      if (all.isDone()) {
        // Every future is done, yet some record is not settled: its state is a moment behind
        // its future (set just after it), or a caller completed or cancelled the future it
        // holds, which says nothing about the record. Only looking tells now: at once, then
        // at the intervals.
        if (yielded) {
          TimeUnit.NANOSECONDS.sleep(wait);
        } else {
          yielded = true;
          Thread.yield();
          look = TimeUnit.MILLISECONDS.toNanos(1) / 2; // doubled below: the first look in 1 ms
        }
      } else {
        try {
          all.get(wait, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.ExecutionException
            | java.util.concurrent.CancellationException
            | java.util.concurrent.TimeoutException e) {
          // a failure, a cancelled future or no news: the entries say which records are settled
        }
      }
      settled = settledFrom(left, settled);
      if (settled == left.size()) {
        return true;
      }
      look = Math.min(look * 2, MAX_LOOK_NANOS);
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
      for (Chunk c : husks) {
        acks += c.newAcks(); // a husk all done is dropped by the listing below, its acks counted
      }
      for (Chunk c = oldest; c != null; c = c.next) {
        acks += c.newAcks();
      }
      // The pending ones first, then the failures: a failure queued in between is in both, and
      // reported as failed only; one claimed before the listing and queued after the failures
      // were taken is listed as pending (its entry says so until it is queued), and reported as
      // failed next time. Never in neither report, never as both.
      List<Entry<K, V>> entries = pendingLocked();
      List<Entry<K, V>> pendingEntries = new ArrayList<>(entries.size());
      List<ProducerRecord<K, V>> pendingRecords = new ArrayList<>(entries.size());
      for (Entry<K, V> e : entries) {
        ProducerRecord<K, V> r = e.record(); // read first: it is cleared after the claim
        if (r != null && e.pending()) {
          pendingEntries.add(e);
          pendingRecords.add(r);
        }
      }
      List<FailedRecord<K, V>> failures = new ArrayList<>();
      java.util.Set<Entry<K, V>> failedNow = null;
      for (Failure<K, V> f; (f = failed.poll()) != null; ) {
        failures.add(f.record);
        if (!pendingEntries.isEmpty()) {
          if (failedNow == null) {
            failedNow = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
          }
          failedNow.add(f.entry);
        }
      }
      List<ProducerRecord<K, V>> pending = pendingRecords;
      if (failedNow != null) {
        pending = new ArrayList<>(pendingRecords.size());
        for (int i = 0; i < pendingEntries.size(); i++) {
          if (!failedNow.contains(pendingEntries.get(i))) {
            pending.add(pendingRecords.get(i));
          }
        }
      }
      return new FlushResult<>(acks, failures, pending, deadlineReached && !pending.isEmpty());
    } finally {
      reader.unlock();
    }
  }

  /**
   * How many entry slots the tracker holds now, with an entry or not, with an outcome or not
   * (for tests of its bound).
   */
  int held() {
    reader.lock();
    try {
      int n = 0;
      for (Chunk c : husks) {
        n += c.slots.length; // what it holds, kept or not
      }
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
   * Under the reader lock: the entries still pending in send order: those of the husks
   * (filtered again here), then those of the chunks not swept, up to the last slot reserved when
   * the listing started (a record begun later is in the next report).
   */
  @SuppressWarnings("unchecked")
  private List<Entry<K, V>> pendingLocked() {
    filterHusks();
    Chunk last = current;
    int lastReserved = Math.min(CHUNK, last.counts.get(RESERVED));
    int held = 16;
    for (Chunk c : husks) {
      held += c.kept;
    }
    List<Entry<K, V>> out = new ArrayList<>(held);
    for (Chunk c : husks) {
      for (int j = 0; j < c.kept; j++) {
        out.add((Entry<K, V>) c.slots[j]);
      }
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
   * oldest; past {@value #YOUNG_CHUNKS} full chunks, keeps the oldest ones as husks, with their
   * pending entries only (their counts still come in).
   */
  private void sweep() {
    Chunk c = oldest;
    int full = fullChunks.get();
    while (c.full()) {
      if (c.allDone()) {
        acksOfDropped += c.newAcks();
        c.slots = null;
        droppedSinceFilter++;
      } else if (full > YOUNG_CHUNKS && c.husk()) {
        husks.add(c);
      } else {
        break; // records in flight, or a slot not written yet: a later sweep
      }
      full--;
      fullChunks.decrementAndGet();
      Chunk n = c.successor();
      cut(c);
      c = n;
    }
    oldest = c;
    // Filtered when they have doubled, and once outcomes come back (chunks dropped again) after
    // as many drops as there are husks: the husks of a backlog that has cleared are let go
    // without waiting for a report, at O(1) per record.
    if (husks.size() >= husksFilterAt || !husks.isEmpty() && droppedSinceFilter >= husks.size()) {
      filterHusks();
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

  /**
   * Under the reader lock: drops the husks whose records all have an outcome, and the entries
   * with an outcome from the others whose counts moved since their last filter.
   */
  private void filterHusks() {
    int n = 0;
    for (int h = 0; h < husks.size(); h++) {
      Chunk c = husks.get(h);
      if (c.allDone()) {
        acksOfDropped += c.newAcks();
        c.slots = null;
        c.kept = 0;
      } else {
        c.filterHusk();
        cut(c);
        husks.set(n++, c);
      }
    }
    husks.subList(n, husks.size()).clear();
    husksFilterAt = Math.max(16, 2 * n);
    droppedSinceFilter = 0;
  }

  /** Whether every husk is unlinked from the chunks after it (for tests of the bound). */
  boolean husksCut() {
    reader.lock();
    try {
      filterHusks();
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
