package io.github.mskproducer.core.internal.send;

import io.github.mskproducer.core.FailedRecord;
import io.github.mskproducer.core.MskProducerException;
import io.github.mskproducer.core.MskProducerListener;
import io.github.mskproducer.core.SendCallback;
import io.github.mskproducer.core.internal.Listeners;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One record from {@code send} to its outcome: its first attempt and Kafka's callback, its
 * entry in the tracker, and what tells the sender (the future it holds, or its callback). One
 * object per record, so that Kafka's I/O thread touches one. Whether the record was reported
 * is its own state, apart from the future's: a caller who completes or cancels the future
 * does not take the record out of the reports.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class Delivery<K, V> extends SendAttempts.Attempt<K, V>
    implements DeliveryTracker.Entry<K, V> {
  private static final Logger LOG = LoggerFactory.getLogger(Delivery.class);
  private static final int PENDING = 0;
  private static final int CLAIMED = 1;
  private static final int COUNTED = 2; // claimed, and counted in the tracker
  private static final int FAILING = 3; // claimed for a failure not queued for the reports yet
  private static final VarHandle STATE;
  private static final VarHandle WAITER;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      STATE = lookup.findVarHandle(Delivery.class, "state", int.class);
      WAITER = lookup.findVarHandle(Delivery.class, "waiter", CompletableFuture.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * What a producer's deliveries share: its tracker, how it types failures, its listeners.
   *
   * @param <K> the key type
   * @param <V> the value type
   */
  public static final class Sink<K, V> {
    private final String clientId;
    private final DeliveryTracker<K, V> tracker;
    private final Errors errors;
    private final Listeners listeners;
    private final boolean heard;

    /**
     * @param clientId the producer's client id, for its log lines
     * @param tracker counts the records for flush's reports
     * @param errors types the failures
     * @param listeners hear acknowledgements and failures
     */
    public Sink(String clientId, DeliveryTracker<K, V> tracker, Errors errors, Listeners listeners) {
      this.clientId = clientId;
      this.tracker = tracker;
      this.errors = errors;
      this.listeners = listeners;
      this.heard = !listeners.asList().isEmpty();
    }

    /**
     * A record sent for a future.
     *
     * @param record the record
     * @param future completed with its outcome
     * @return its delivery
     */
    public Delivery<K, V> forFuture(ProducerRecord<K, V> record, CompletableFuture<RecordMetadata> future) {
      return new Delivery<>(this, record, future, null);
    }

    /**
     * A record sent with a callback.
     *
     * @param record the record
     * @param callback hears its outcome, once
     * @return its delivery
     */
    public Delivery<K, V> forCallback(ProducerRecord<K, V> record, SendCallback callback) {
      return new Delivery<>(this, record, null, callback);
    }

    /**
     * Whether any listener hears per-record events: without one, a send pays nothing for them.
     *
     * @return true if some listener hears them
     */
    public boolean heard() {
      return heard;
    }

    private void fire(Consumer<MskProducerListener> event) {
      listeners.fire(event);
    }
  }

  private final Sink<K, V> sink;
  private final SendCallback callback; // or null: the sender holds the waiter
  @SuppressWarnings("unused") // through STATE
  private volatile int state;
  // The sender's future; for a callback's record made on demand, when a flush waits for it.
  private volatile CompletableFuture<RecordMetadata> waiter;
  private Object mark; // the tracker's: set before Kafka's send, read after the outcome

  private Delivery(
      Sink<K, V> sink, ProducerRecord<K, V> record, CompletableFuture<RecordMetadata> future, SendCallback callback) {
    super(record);
    if (sink.heard) {
      start = System.nanoTime(); // for onAcknowledged's latency
    }
    this.sink = sink;
    this.callback = callback;
    if (future != null) {
      WAITER.setRelease(this, future);
    }
  }

  @Override
  public ProducerRecord<K, V> record() {
    return record;
  }

  /**
   * {@inheritDoc}
   *
   * <p>For a callback's record: made on the first call. tell() sets COUNTED with a release
   * store and then reads the waiter; this publishes the waiter and then reads the state. Both
   * may miss the other (a store then a load of another field: no fence orders them, and a full
   * fence on every record cost Kafka's I/O thread a third of this class's time): the waiter then
   * never completes, which is why every wait goes through {@link
   * DeliveryTracker#awaitSettled}, which also reads the state itself.
   */
  @Override
  public CompletableFuture<?> completion() {
    CompletableFuture<RecordMetadata> w = waiter;
    if (w == null) {
      CompletableFuture<RecordMetadata> made = new CompletableFuture<>();
      w = WAITER.compareAndSet(this, null, made) ? made : waiter;
    }
    if (callback != null && state == COUNTED) {
      w.complete(null);
    }
    return w;
  }

  /**
   * {@inheritDoc}
   *
   * <p>The delivery's own state, never the future's: a caller who completes or cancels the
   * future it holds must not make a flush stop waiting for the record.
   */
  @Override
  public boolean settled() {
    return state == COUNTED;
  }

  @Override
  public boolean claim() {
    return STATE.compareAndSet(this, PENDING, CLAIMED);
  }

  @Override
  public boolean claimFailure() {
    return STATE.compareAndSet(this, PENDING, FAILING);
  }

  @Override
  public void failureQueued() {
    STATE.setRelease(this, CLAIMED);
  }

  @Override
  public Object mark() {
    return mark;
  }

  @Override
  public void mark(Object mark) {
    this.mark = mark;
  }

  @Override
  public boolean pending() {
    int s = state;
    return s == PENDING || s == FAILING;
  }

  @Override
  public void failedAtClose(MskProducerException cause) {
    tell(null, cause, true);
  }

  @Override
  public void done(RecordMetadata metadata, Throwable failure) {
    ProducerRecord<K, V> r = record;
    if (r == null) {
      // An outcome was given already. kafka-clients 3.8 can report one record twice: a send
      // into a producer that has just failed fatally (e.g. denied idempotent writes) appends
      // the record, then fails inside send, and the batch is aborted later too.
      return;
    }
    if (failure == null) {
      boolean mine = sink.tracker.acknowledged(this);
      if (mine) {
        record = null;
        if (sink.heard) {
          Duration latency = Duration.ofNanos(System.nanoTime() - start);
          sink.fire(l -> l.onAcknowledged(metadata, latency));
        }
      }
      tell(metadata, null, mine);
      return;
    }
    MskProducerException e = sink.errors.forRecord(failure, r, SendAttempts.failedBeforeBuffer(failure));
    FailedRecord<K, V> failed = new FailedRecord<>(r, e);
    boolean mine = sink.tracker.failed(this, failed); // else close() failed it already, and said so
    if (mine) {
      record = null;
      sink.fire(l -> l.onSendFailed(failed));
    }
    tell(null, e, mine);
  }

  /**
   * Tells the sender. A future hears the first outcome (later ones are no-ops); a callback
   * hears the outcome the tracker reports, once.
   */
  private void tell(RecordMetadata metadata, MskProducerException failure, boolean mine) {
    if (callback == null) {
      CompletableFuture<RecordMetadata> w = waiter;
      try {
        if (failure == null) {
          w.complete(metadata);
        } else {
          w.completeExceptionally(failure);
        }
      } finally {
        if (mine) {
          // After the future: a flush that sees the record settled finds its future complete.
          STATE.setRelease(this, COUNTED);
        }
      }
      return;
    }
    if (!mine) {
      return;
    }
    try {
      callback.onCompletion(metadata, failure);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      // Kafka's I/O thread catches only Exceptions: an Error (an assertion) must not end it.
      LOG.warn("msk-producer {}: a send callback threw; the record's outcome stands", sink.clientId, e);
    } finally {
      STATE.setRelease(this, COUNTED); // then read the waiter: see completion()
      @SuppressWarnings("unchecked")
      CompletableFuture<RecordMetadata> w = (CompletableFuture<RecordMetadata>) WAITER.getAcquire(this);
      if (w != null) {
        w.complete(null);
      }
    }
  }
}
