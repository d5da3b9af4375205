package io.github.mskproducer.reliability;

import io.github.mskproducer.core.MskProducer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends at a fixed rate from its own threads until stopped: each thread sends its share every
 * 10 ms, catching up if it fell behind (a blocked {@code send} is part of the scenario).
 */
final class Load implements AutoCloseable {
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicReference<Throwable> crash = new AtomicReference<>();
  private final java.util.concurrent.atomic.AtomicLong longestSendNanos = new java.util.concurrent.atomic.AtomicLong();
  private volatile boolean running = true;

  private Load() {}

  static Load start(Ledger ledger, MskProducer<String, String> producer, String topic, int perSecond, int threads) {
    Load load = new Load();
    double perThreadPerNano = perSecond / (double) threads / 1e9;
    for (int t = 0; t < threads; t++) {
      Thread th =
          new Thread(
              () -> {
                long start = System.nanoTime();
                long sent = 0;
                try {
                  while (load.running) {
                    long due = (long) ((System.nanoTime() - start) * perThreadPerNano);
                    for (; sent < due && load.running; sent++) {
                      long t0 = System.nanoTime();
                      ledger.send(producer, topic);
                      load.longestSendNanos.accumulateAndGet(System.nanoTime() - t0, Math::max);
                    }
                    TimeUnit.MILLISECONDS.sleep(10);
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                } catch (Throwable e) {
                  load.crash.compareAndSet(null, e);
                }
              },
              "load-" + t);
      th.setDaemon(true);
      load.threads.add(th);
      th.start();
    }
    return load;
  }

  /** Like {@link #longestSendMillis()}, and starts counting again from 0. */
  long takeLongestSendMillis() {
    return longestSendNanos.getAndSet(0) / 1_000_000;
  }

  /** The longest a single {@code send} call blocked its thread, in milliseconds. */
  long longestSendMillis() {
    return longestSendNanos.get() / 1_000_000;
  }

  /** Stops sending and waits for the threads; rethrows anything a thread threw. */
  @Override
  public void close() throws InterruptedException {
    running = false;
    for (Thread t : threads) {
      t.join(TimeUnit.MINUTES.toMillis(3));
    }
    if (crash.get() != null) {
      throw new IllegalStateException("a load thread failed", crash.get());
    }
  }
}
