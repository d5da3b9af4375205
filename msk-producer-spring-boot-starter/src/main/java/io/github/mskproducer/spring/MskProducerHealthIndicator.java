package io.github.mskproducer.spring;

import io.github.mskproducer.core.DiagnosticReport;
import io.github.mskproducer.core.Finding;
import io.github.mskproducer.core.MskConfigurationException;
import io.github.mskproducer.core.MskDiagnostics;
import io.github.mskproducer.core.MskProducer;
import io.github.mskproducer.core.MskProducerClosedException;
import io.github.mskproducer.core.MskProducerException;
import io.github.mskproducer.core.MskProducerConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The cluster as the producer's configuration reaches it, for Actuator's health endpoint: the
 * doctor's checks ({@code MskDiagnostics}) without test writes: DNS, TCP and TLS to the
 * bootstrap brokers, credentials and an IAM token, authentication and metadata, the advertised
 * brokers, and describe on the topics of {@code msk.producer.health.topics}.
 *
 * <p>The checks run on a thread of their own; a health request waits for them at most {@code
 * msk.producer.health.timeout}, then shows the last result (or {@code UNKNOWN} before the
 * first), so the endpoint never hangs on a black-holed broker. A result is reused for {@code
 * msk.producer.health.cache-ttl}. {@code DOWN} names the failed check, what was observed, the
 * likely cause and the fix; no detail holds a secret (an access key shows its first characters
 * only).
 *
 * <p>Given the running producer, it is also {@code DOWN} while that producer cannot send for
 * good, whatever the checks find: its start failed (e.g. credentials that were not there yet
 * when the application started, or an idempotent producer whose first connection failed
 * authentication, KAFKA-20237), or it is closed. A producer does not start again by itself, so
 * the cluster coming right does not bring it back; the detail {@code producer} says why and that
 * the application must restart (a liveness probe on this indicator restarts it).
 */
public final class MskProducerHealthIndicator implements HealthIndicator, DisposableBean {
  private final MskProducerConfig config;
  private final Supplier<DiagnosticReport> checks;
  private final Supplier<MskProducerException> producerFailure; // null while it can send
  private final Duration timeout;
  private final Duration cacheTtl;
  private final Clock clock;
  private final ExecutorService runner =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "msk-producer-health");
            t.setDaemon(true);
            return t;
          });
  private final Object lock = new Object();
  private Checked last; // under lock
  private CompletableFuture<Checked> running; // under lock

  private record Checked(DiagnosticReport report, Instant at) {}

  /**
   * A health indicator for this configuration.
   *
   * @param config the producer's configuration
   * @param timeout the longest a health request waits for the checks
   * @param cacheTtl how long a result is reused
   * @param topics the topics to describe, maybe none
   */
  public MskProducerHealthIndicator(
      MskProducerConfig config, Duration timeout, Duration cacheTtl, List<String> topics) {
    this(
        config,
        timeout,
        cacheTtl,
        doctor(config, positive("health.timeout", timeout), topics),
        () -> null,
        Clock.systemUTC());
  }

  /**
   * A health indicator for a running producer: its configuration, checked as above, and the
   * producer's own state (DOWN once it cannot send for good).
   *
   * @param producer the producer
   * @param timeout the longest a health request waits for the checks
   * @param cacheTtl how long a result is reused
   * @param topics the topics to describe, maybe none
   */
  public MskProducerHealthIndicator(
      MskProducer<?, ?> producer, Duration timeout, Duration cacheTtl, List<String> topics) {
    this(
        producer.config(),
        timeout,
        cacheTtl,
        doctor(producer.config(), positive("health.timeout", timeout), topics),
        () -> producer.failure().orElse(null),
        Clock.systemUTC());
  }

  /** For tests: other checks, another producer state, another clock. */
  MskProducerHealthIndicator(
      MskProducerConfig config,
      Duration timeout,
      Duration cacheTtl,
      Supplier<DiagnosticReport> checks,
      Supplier<MskProducerException> producerFailure,
      Clock clock) {
    this.config = Objects.requireNonNull(config, "config");
    this.producerFailure = Objects.requireNonNull(producerFailure, "producerFailure");
    this.timeout = positive("health.timeout", timeout);
    if (cacheTtl == null || cacheTtl.isNegative()) {
      throw new MskConfigurationException(
          MskProducerProperties.PREFIX + ".health.cache-ttl",
          MskProducerProperties.PREFIX + ".health.cache-ttl must be zero or positive, was " + cacheTtl);
    }
    this.cacheTtl = cacheTtl;
    this.checks = checks;
    this.clock = clock;
  }

  private static Supplier<DiagnosticReport> doctor(
      MskProducerConfig config, Duration timeout, List<String> topics) {
    for (String t : topics) {
      if (t == null || t.isBlank()) {
        String p = MskProducerProperties.PREFIX + ".health.topics";
        throw new MskConfigurationException(p, p + " holds an empty topic name: " + topics);
      }
    }
    // Each step gets half the budget: a request that waits the budget sees most checks end.
    Duration step = timeout.compareTo(Duration.ofSeconds(2)) < 0 ? timeout : timeout.dividedBy(2);
    MskDiagnostics.Options options =
        MskDiagnostics.options().checkTimeout(step).topics(topics).build();
    return () -> MskDiagnostics.run(config, options);
  }

  private static Duration positive(String property, Duration d) {
    if (d == null || d.isZero() || d.isNegative()) {
      String p = MskProducerProperties.PREFIX + "." + property;
      throw new MskConfigurationException(p, p + " must be positive, was " + d);
    }
    return d;
  }

  @Override
  public Health health() {
    Health h = clusterHealth();
    MskProducerException failure = producerFailure.get(); // cheap: no network, no wait
    if (failure == null) {
      return h;
    }
    Map<String, Object> p = new LinkedHashMap<>();
    p.put(
        "state",
        failure instanceof MskProducerClosedException ? "closed" : "its start failed");
    p.put("cause", failure.getMessage());
    p.put(
        "fix",
        failure instanceof MskProducerClosedException
            ? "the application closed the producer: restart the application"
            : "fix the cause, then restart the application: a producer whose start failed does"
                + " not start again, even once the cluster checks pass");
    return Health.down().withDetails(h.getDetails()).withDetail("producer", p).build();
  }

  /** The checks' result, cached and bounded as the class says. */
  private Health clusterHealth() {
    CompletableFuture<Checked> check;
    Checked previous;
    synchronized (lock) {
      previous = last;
      if (previous != null
          && Duration.between(previous.at(), clock.instant()).compareTo(cacheTtl) < 0) {
        return toHealth(previous, false);
      }
      if (running == null) {
        CompletableFuture<Checked> started = CompletableFuture.supplyAsync(this::check, runner);
        running = started;
        // May run at once, on this thread, if the check already ended: keep the local future.
        started.whenComplete((c, e) -> finished(started, c));
        check = started;
      } else {
        check = running;
      }
    }
    try {
      return toHealth(check.get(timeout.toNanos(), TimeUnit.NANOSECONDS), false);
    } catch (TimeoutException e) {
      if (previous != null) {
        return toHealth(previous, true);
      }
      return Health.unknown()
          .withDetail("checking", "the first check takes longer than " + timeout)
          .build();
    } catch (ExecutionException e) {
      return Health.down().withDetail("error", String.valueOf(e.getCause())).build();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Health.unknown().withDetail("checking", "interrupted").build();
    }
  }

  /** Of two outcomes of one check (several findings), the one that says more: FAIL, WARN, OK, SKIPPED. */
  private static String worse(String a, String b) {
    return severity(b) > severity(a) ? b : a;
  }

  private static int severity(String status) {
    switch (status) {
      case "FAIL":
        return 3;
      case "WARN":
        return 2;
      case "OK":
        return 1;
      default:
        return 0; // SKIPPED
    }
  }

  private Checked check() {
    return new Checked(checks.get(), clock.instant());
  }

  private void finished(CompletableFuture<Checked> which, Checked c) {
    synchronized (lock) {
      if (c != null) {
        last = c;
      }
      if (running == which) {
        running = null;
      }
    }
  }

  private Health toHealth(Checked c, boolean stale) {
    Finding failed =
        c.report().findings().stream()
            .filter(f -> f.status() == Finding.Status.FAIL)
            .findFirst()
            .orElse(null);
    Health.Builder h = failed == null ? Health.up() : Health.down();
    h.withDetail("bootstrapServers", config.bootstrapServers().orElse("(not set)"));
    h.withDetail("checkedAt", c.at().toString());
    if (stale) {
      h.withDetail("stale", "a newer check is still running (more than " + timeout + ")");
    }
    if (failed != null) {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("check", failed.check());
      if (failed.target() != null) {
        f.put("target", failed.target());
      }
      f.put("observed", failed.observed());
      if (failed.cause() != null) {
        f.put("cause", failed.cause());
      }
      if (failed.fix() != null) {
        f.put("fix", failed.fix());
      }
      h.withDetail("failed", f);
    }
    Map<String, String> checks = new LinkedHashMap<>();
    for (Finding f : c.report().findings()) {
      checks.merge(
          f.check() + (f.target() == null ? "" : " " + f.target()),
          f.status().name(),
          MskProducerHealthIndicator::worse);
    }
    h.withDetail("checks", checks);
    return h.build();
  }

  @Override
  public void destroy() {
    runner.shutdownNow();
  }
}
