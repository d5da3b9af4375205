package io.github.mskproducer.core.internal.diagnostics;

import io.github.mskproducer.core.Finding;
import io.github.mskproducer.core.Finding.Status;
import io.github.mskproducer.core.internal.Causes;
import io.github.mskproducer.core.internal.config.KafkaProperties;
import io.github.mskproducer.core.internal.config.Settings;
import io.github.mskproducer.core.internal.send.Errors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLHandshakeException;

/**
 * What the checks of one doctor run share: the time budget of each step, the findings so far,
 * the part of the access key a report may show, and a thread to run blocking steps on so that
 * none outlives its budget.
 */
final class Probe implements AutoCloseable {
  final Duration budget;
  final List<String> topics;
  final boolean testWrites;
  private final List<Finding> findings = new ArrayList<>();
  /** The access key id's first characters, once known: what reports may show of it. */
  private volatile String shownKey;

  private final ExecutorService executor =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "msk-producer-doctor");
            t.setDaemon(true);
            return t;
          });

  Probe(Duration budget, List<String> topics, boolean testWrites) {
    this.budget = budget;
    this.topics = List.copyOf(topics);
    this.testWrites = testWrites;
  }

  int budgetMillis() {
    return (int) budget.toMillis();
  }

  List<Finding> findings() {
    return findings;
  }

  void add(String check, String target, Status status, String observed, String cause, String fix) {
    findings.add(new Finding(check, target, status, observed, cause, fix));
  }

  void ok(String check, String target, String observed) {
    add(check, target, Status.OK, observed, null, null);
  }

  void skipped(String check, String target, String observed) {
    add(check, target, Status.SKIPPED, observed, null, null);
  }

  void fail(String check, String target, String observed, String cause, String fix) {
    add(check, target, Status.FAIL, observed, cause, fix);
  }

  /** Marks the cluster checks not yet reported as skipped, saying why. */
  void skipRest(String why) {
    for (String check : List.of("authentication", "metadata", "topic")) {
      if (findings.stream().noneMatch(f -> f.check().equals(check))) {
        skipped(check, null, "not run: " + why);
      }
    }
  }

  void showKey(String shown) {
    this.shownKey = shown;
  }

  /** The producer's own error translation, so findings say what a failed send would say. */
  Errors errors(Settings s) {
    return new Errors(Errors.Context.of(s, () -> shownKey));
  }

  /** Runs a blocking step on the probe's thread, giving up after the budget (and a margin). */
  <T> T within(Callable<T> work) throws Exception {
    Future<T> f = executor.submit(work);
    try {
      return f.get(budget.toMillis() + 500, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
    } catch (TimeoutException e) {
      f.cancel(true);
      throw e;
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }

  /** The producer's Kafka properties that a client of another kind (admin, consumer) knows. */
  static Map<String, Object> propertiesFor(Settings s, String tokenSourceId, Set<String> known) {
    Map<String, Object> props = new LinkedHashMap<>();
    KafkaProperties.create(s, tokenSourceId)
        .forEach(
            (k, v) -> {
              if (known.contains(k)) {
                props.put(k, v);
              }
            });
    return props;
  }

  /** Every message in the cause chain, to match texts Kafka and the JDK put at any depth. */
  static String messages(Throwable t) {
    StringBuilder sb = new StringBuilder();
    Causes.chain(t).forEach(c -> sb.append(c.getMessage()).append(" | "));
    return sb.toString();
  }

  /** The root cause in one line. */
  static String describe(Throwable e) {
    Throwable c = Causes.root(e);
    if (e instanceof TimeoutException) {
      return "timed out";
    }
    if (c instanceof SSLHandshakeException && c.getMessage() != null) {
      return c.getMessage();
    }
    return c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
  }
}
