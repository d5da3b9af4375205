package io.github.mskproducer.core;

import io.github.mskproducer.core.internal.config.Settings;
import io.github.mskproducer.core.internal.send.Errors;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where an {@link MskProducer}'s Kafka engine will be once its start has made it: the start
 * runs on a thread of its own (so that {@code build()} never waits on the network), callers
 * wait for it at most as long as they may, and a close during the start stops it and releases
 * what it made. The start's failure is kept and given to every caller.
 */
final class EngineSlot<K, V> {
  private static final Logger LOG = LoggerFactory.getLogger(MskProducer.class);

  private final Settings settings;
  private final Errors errors;
  private final Function<ProducerStarter.Started<K, V>, KafkaEngine<K, V>> engines;
  private final CompletableFuture<KafkaEngine<K, V>> engine = new CompletableFuture<>();
  private final Object lock = new Object();
  private volatile boolean closed; // set under lock
  private volatile ProducerStarter<K, V> starter;
  private volatile Thread starterThread;
  // The started engine once known: one volatile read per send instead of the future's checks.
  // A send that reads it while the producer closes gets a closed outcome from the engine.
  private volatile KafkaEngine<K, V> ready;
  private final java.util.Set<String> prefetching = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * @param settings the producer's settings
   * @param errors how failures are told
   * @param engines makes the engine from what the start made
   */
  EngineSlot(
      Settings settings,
      Errors errors,
      Function<ProducerStarter.Started<K, V>, KafkaEngine<K, V>> engines) {
    this.settings = settings;
    this.errors = errors;
    this.engines = engines;
  }

  /** For tests: the engine is there at once. */
  void set(ProducerStarter.Started<K, V> started) {
    KafkaEngine<K, V> e = engines.apply(started);
    if (!engine.complete(e)) {
      e.close(Duration.ZERO); // closed meanwhile
      return;
    }
    ready = e;
  }

  /** Starts on a thread of its own and returns at once. */
  void start(ProducerStarter<K, V> starter) {
    this.starter = starter;
    Thread t = new Thread(() -> runStart(starter), "msk-producer-start-" + settings.clientId());
    t.setDaemon(true);
    starterThread = t;
    t.start();
  }

  private void runStart(ProducerStarter<K, V> starter) {
    ProducerStarter.Started<K, V> made;
    try {
      made = starter.start(() -> closed);
    } catch (RuntimeException | Error e) {
      if (closed) {
        return; // close() completed the engine already; the start released what it made
      }
      MskProducerException failure =
          e instanceof MskProducerException
              ? (MskProducerException) e
              : errors.general(e, "the producer could not start");
      // Once, at WARN: every send will fail with it, and a fire-and-forget caller may not look.
      LOG.warn("msk-producer {} could not start: {}", settings.clientId(), failure.getMessage());
      engine.completeExceptionally(failure);
      return;
    }
    KafkaEngine<K, V> started;
    try {
      started = engines.apply(made);
    } catch (RuntimeException | Error e) {
      made.kafka().close(Duration.ZERO);
      made.release().run();
      engine.completeExceptionally(errors.general(e, "the producer could not start"));
      return;
    }
    boolean abandoned;
    synchronized (lock) {
      abandoned = closed;
      if (!abandoned) {
        ready = started;
        engine.complete(started);
      }
    }
    if (abandoned) { // close() came first; it completed the engine as closed
      started.close(Duration.ZERO);
    }
  }

  /**
   * Waits for the start.
   *
   * @param timeout the longest wait
   * @return true if started, false if still starting
   * @throws MskProducerException why the start failed, or that the producer closed
   */
  boolean await(Duration timeout) {
    try {
      engine.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      throw (MskProducerException) e.getCause();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MskProducerException("interrupted while waiting for the producer to start", e, true);
    }
  }

  /** Why the start failed, or null (still starting, or started); never waits. */
  MskProducerException startFailure() {
    if (!engine.isCompletedExceptionally()) {
      return null;
    }
    try {
      engine.join();
      return null; // not reached: it completed exceptionally
    } catch (CompletionException e) {
      return (MskProducerException) e.getCause();
    }
  }

  /** While the producer starts: fetch this topic's metadata as soon as Kafka's producer exists. */
  void warmTopic(String topic) {
    ProducerStarter<K, V> st = starter;
    if (st != null && ready == null && !closed && !engine.isDone()) { // not failed either
      st.warmTopic(topic);
    }
  }

  /** {@link #warmTopic} while starting; once started, Kafka's partitionsFor on a worker. */
  void prefetch(String topic) {
    KafkaEngine<K, V> e = ready;
    if (e == null) {
      warmTopic(topic);
      return;
    }
    if (e.topics.isKnown(topic) || !prefetching.add(topic)) {
      return; // known, or being fetched already
    }
    ProducerStarter.metadataInBackground(
        e.kafka, topic, settings.clientId(), null, () -> prefetching.remove(topic));
  }

  boolean isReady() {
    return !closed && now() != null;
  }

  /**
   * The started engine, waiting for the start at most max block.
   *
   * @param forWhat what the caller wants it for, for the message (followed by the record's
   *     topic if there is a record: built only for the message, not on every send)
   * @param record the record it is for, or null
   * @throws MskDeliveryException (retriable) if the start did not finish in time, naming the
   *     phase it was in; the start's own failure if it failed
   */
  KafkaEngine<K, V> get(String forWhat, ProducerRecord<?, ?> record) {
    Duration maxBlock = settings.timeouts().maxBlock();
    try {
      return engine.get(maxBlock.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      ProducerStarter<K, V> st = starter;
      throw new MskDeliveryException(
          "the producer "
              + settings.clientId()
              + " did not finish starting within max block ("
              + maxBlock
              + ") for "
              + forWhat
              + (record == null ? "" : " " + record.topic())
              + "; it was "
              + (st == null ? "starting" : st.phase())
              + ". Call awaitReady(...) to wait for the start, or raise timeouts.maxBlock",
          e,
          true,
          record == null ? null : record.topic(),
          record == null ? null : record.partition(),
          record == null || record.key() == null ? null : record.key().hashCode());
    } catch (ExecutionException e) {
      throw (MskProducerException) e.getCause();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MskProducerException("interrupted while waiting for the producer to start", e, true);
    }
  }

  /** The engine if the start finished well, else null; never waits. */
  KafkaEngine<K, V> now() {
    KafkaEngine<K, V> e = ready;
    if (e != null) {
      return e;
    }
    return engine.isDone() && !engine.isCompletedExceptionally() ? engine.join() : null;
  }

  /**
   * Closes the slot. If the start finished, returns the engine for the caller to close. If it
   * is still running, whoever waits for it hears {@code closed} now; the start is interrupted
   * and given {@code timeout} to release what it made (after that it releases it itself, once
   * the call it is in returns).
   *
   * @param timeout how long to wait for a running start to stop
   * @param closed the failure those who wait for the start get
   * @return the started engine, or null
   */
  KafkaEngine<K, V> close(Duration timeout, MskProducerClosedException closed) {
    synchronized (lock) {
      this.closed = true;
    }
    KafkaEngine<K, V> e = now();
    if (e != null || engine.isDone()) {
      return e;
    }
    engine.completeExceptionally(closed);
    Thread t = starterThread;
    if (t != null && t != Thread.currentThread()) { // a listener on the start may close
      t.interrupt();
      try {
        t.join(Math.max(1, Math.min(timeout.toMillis(), Duration.ofMinutes(5).toMillis())));
      } catch (InterruptedException x) {
        Thread.currentThread().interrupt();
      }
    }
    return null;
  }
}
