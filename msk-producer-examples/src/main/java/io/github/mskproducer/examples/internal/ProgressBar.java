package io.github.mskproducer.examples.internal;

import java.io.Console;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A progress bar on standard error. On a terminal it redraws one line five times a second;
 * otherwise (a pipe, a CI log) it prints a line at every tenth of the total, or every five
 * seconds when the total is unknown, so logs stay short.
 */
public final class ProgressBar implements AutoCloseable {
  private static final int WIDTH = 30;

  private final String label;
  private final long total;
  private final PrintStream out;
  private final boolean interactive;
  private final boolean enabled;
  private final AtomicLong done = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final long startNanos = System.nanoTime();
  private final ScheduledExecutorService ticker;
  private long lastReportedTenth;
  private long lastReportNanos = System.nanoTime();
  private boolean closed;

  /**
   * Starts a bar.
   *
   * @param label what progresses, e.g. {@code acknowledged}
   * @param total the total, or -1 when unknown
   * @param out where to draw (standard error)
   * @param enabled false to draw nothing
   */
  public ProgressBar(String label, long total, PrintStream out, boolean enabled) {
    this.label = label;
    this.total = total;
    this.out = out;
    this.enabled = enabled;
    this.interactive = enabled && isTerminal();
    this.ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "msk-producer-progress");
              t.setDaemon(true);
              return t;
            });
    if (enabled) {
      ticker.scheduleAtFixedRate(this::tick, 200, 200, TimeUnit.MILLISECONDS);
    }
  }

  /** Counts one record done (acknowledged). */
  public void step() {
    done.incrementAndGet();
  }

  /** Counts one record failed. */
  public void fail() {
    failed.incrementAndGet();
  }

  private synchronized void tick() {
    if (closed) {
      return;
    }
    long n = done.get() + failed.get();
    if (interactive) {
      out.print("\r" + line(n));
      out.flush();
      return;
    }
    long now = System.nanoTime();
    if (total > 0) {
      long tenth = n * 10 / total;
      if (tenth > lastReportedTenth && tenth < 10) {
        lastReportedTenth = tenth;
        out.println(line(n));
      }
    } else if (now - lastReportNanos >= TimeUnit.SECONDS.toNanos(5)) {
      lastReportNanos = now;
      out.println(line(n));
    }
  }

  /** The bar advances with every outcome; the count says how many were acknowledged. */
  String line(long outcomes) {
    long acknowledged = done.get();
    double seconds = Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
    long rate = Math.round(acknowledged / seconds);
    String failures = failed.get() == 0 ? "" : String.format(Locale.ROOT, ", %,d failed", failed.get());
    if (total > 0) {
      int filled = (int) Math.min(WIDTH, outcomes * WIDTH / total);
      String bar = "=".repeat(filled) + (filled < WIDTH ? ">" + " ".repeat(WIDTH - filled - 1) : "");
      return String.format(
          Locale.ROOT,
          "[%s] %3d%% %,d/%,d %s, %,d/s%s",
          bar,
          outcomes * 100 / total,
          acknowledged,
          total,
          label,
          rate,
          failures);
    }
    return String.format(Locale.ROOT, "%,d %s, %,d/s%s", acknowledged, label, rate, failures);
  }

  /** Draws the final state and stops. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    ticker.shutdownNow();
    if (enabled) {
      String last = line(done.get() + failed.get());
      out.print(interactive ? "\r" + last + System.lineSeparator() : last + System.lineSeparator());
      out.flush();
    }
  }

  /**
   * Whether standard error is likely a terminal: a console is attached (on Java 22 and later,
   * one that is a terminal), the terminal is not "dumb", and this is not CI.
   */
  private static boolean isTerminal() {
    if (System.getenv("CI") != null || "dumb".equals(System.getenv("TERM"))) {
      return false;
    }
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      Method m = Console.class.getMethod("isTerminal"); // Java 22+
      return (Boolean) m.invoke(console);
    } catch (ReflectiveOperationException e) {
      return true; // before Java 22, System.console() is null unless interactive
    }
  }
}
