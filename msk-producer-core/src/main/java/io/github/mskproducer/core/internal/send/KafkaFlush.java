package io.github.mskproducer.core.internal.send;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka's {@code flush()} within a deadline, for one producer: Kafka's flush has none of its own
 * (it returns once every batch is acknowledged, failed or expired, which is within the delivery
 * timeout only while batches can expire: an idempotent producer waiting for a producer id with
 * no broker reachable expires none). Every deadline arms a timer that interrupts the flushing
 * thread at the deadline (Kafka's flush is interruptible and leaves nothing behind when
 * interrupted); the interrupt is cleared again before {@link #flush} returns. A flush cut short (by the deadline, or by the
 * caller's own interrupt), or given no time at all, goes on in the background, one at a time,
 * so that what was buffered goes out now, not after its linger; nobody waits for it.
 *
 * <p>Its two threads (the timer's, the background flush's) are made on first use.
 */
public final class KafkaFlush implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaFlush.class);

  /** Interrupts a flush at its deadline. */
  private final FlushDeadlines deadlines;
  /** Goes on with a flush cut short. */
  private final ExecutorService background;
  private final Object lock = new Object();
  private CompletableFuture<Void> running; // under lock: the background flush, if any

  /**
   * @param clientId the producer's client id, in its threads' names
   */
  public KafkaFlush(String clientId) {
    this.deadlines = new FlushDeadlines("msk-producer-flush-deadline-" + clientId);
    String name = "msk-producer-flush-" + clientId;
    this.background =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, name);
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Kafka's flush on this thread, until {@code endNanos} at the latest.
   *
   * @param kafka the producer to flush
   * @param deadline the caller's deadline, as given (zero: no wait at all)
   * @param endNanos the same deadline in {@link System#nanoTime()}'s terms
   */
  public void flush(Producer<?, ?> kafka, Duration deadline, long endNanos) {
    if (deadline.isZero() || Thread.currentThread().isInterrupted()) {
      inBackground(kafka);
      return;
    }
    DeadlineInterrupt interrupt = deadlines.arm(endNanos);
    if (interrupt == null) {
      return; // closing
    }
    boolean completed;
    try {
      completed = flushQuietly(kafka);
    } finally {
      interrupt.disarm();
    }
    if (!completed) {
      inBackground(kafka);
    }
  }

  /** Kafka's flush on the background thread, unless one runs there already. */
  private void inBackground(Producer<?, ?> kafka) {
    synchronized (lock) {
      if (running != null && !running.isDone()) {
        return;
      }
      try {
        running = CompletableFuture.runAsync(() -> flushQuietly(kafka), background);
      } catch (RejectedExecutionException e) {
        // closing: the producer's close sends or fails what is left
      }
    }
  }

  /** Kafka's flush; false if it ended without flushing everything (interrupted, or refused). */
  private static boolean flushQuietly(Producer<?, ?> kafka) {
    try {
      kafka.flush();
      return true;
    } catch (RuntimeException e) {
      LOG.debug("Kafka's flush ended: {}", e.toString());
      return false;
    }
  }

  /**
   * Stops both threads: deadlines armed and not fired never fire, a background flush is
   * interrupted. Idempotent.
   */
  @Override
  public void close() {
    deadlines.close();
    background.shutdownNow();
  }
}
