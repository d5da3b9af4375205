package io.github.mskproducer.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mskproducer.core.DiagnosticReport;
import io.github.mskproducer.core.Finding;
import io.github.mskproducer.core.MskProducerConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/** The indicator's waiting and caching, with checks that take as long as the test says. */
class MskProducerHealthIndicatorTest {
  private static final MskProducerConfig CONFIG =
      MskProducerConfig.builder().bootstrapServers("localhost:9098").build();

  private static DiagnosticReport report(Finding.Status status) {
    return new DiagnosticReport(
        List.of(new Finding("tcp", "localhost:9098", status, "observed", "cause", "fix")));
  }

  /** A clock the test moves. */
  private static final class MovableClock extends Clock {
    final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-01T00:00:00Z"));

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  }

  @Test
  void aSlowCheck_doesNotHoldTheRequest_theLastResultIsShown_thenTheNewOne() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger runs = new AtomicInteger();
    MovableClock clock = new MovableClock();
    MskProducerHealthIndicator indicator =
        new MskProducerHealthIndicator(
            CONFIG,
            Duration.ofSeconds(2),
            Duration.ofSeconds(30),
            () -> {
              if (runs.incrementAndGet() == 2) {
                try {
                  release.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                return report(Finding.Status.FAIL);
              }
              return report(Finding.Status.OK);
            },
            () -> null,
            clock);
    try {
      assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
      assertThat(indicator.health().getStatus()).as("cached").isEqualTo(Status.UP);
      assertThat(runs).hasValue(1);

      clock.now.set(clock.instant().plusSeconds(31)); // expired: the next request checks again
      Health whileSlow = indicator.health();
      assertThat(whileSlow.getStatus()).as("the last result, marked stale").isEqualTo(Status.UP);
      assertThat(whileSlow.getDetails()).containsKey("stale");
      assertThat(indicator.health().getDetails()).containsKey("stale");
      assertThat(runs).as("one check at a time").hasValue(2);

      release.countDown();
      Health after = null;
      for (int i = 0; i < 100 && (after == null || after.getStatus() != Status.DOWN); i++) {
        after = indicator.health();
      }
      assertThat(after.getStatus()).isEqualTo(Status.DOWN);
      assertThat(after.getDetails().get("failed").toString()).contains("check=tcp", "fix=fix");
    } finally {
      release.countDown();
      indicator.destroy();
    }
  }

  @Test
  void aCheckWithSeveralFindings_showsTheOneThatSaysMost() {
    MskProducerHealthIndicator indicator =
        new MskProducerHealthIndicator(
            CONFIG,
            Duration.ofSeconds(2),
            Duration.ofSeconds(30),
            () ->
                new DiagnosticReport(
                    List.of(
                        new Finding("topic", null, Finding.Status.SKIPPED, "no topic given", null, null),
                        new Finding("tls", "b-1:9098", Finding.Status.OK, "trusted", null, null),
                        new Finding("tls", "b-1:9098", Finding.Status.WARN, "expires soon", "cause", "fix"),
                        new Finding("tcp", "b-1:9098", Finding.Status.OK, "connected", null, null),
                        new Finding("tcp", "b-1:9098", Finding.Status.FAIL, "refused", "cause", "fix"),
                        new Finding("tcp", "b-1:9098", Finding.Status.OK, "connected", null, null))),
            () -> null,
            Clock.systemUTC());
    try {
      Health health = indicator.health();
      assertThat(health.getStatus()).isEqualTo(Status.DOWN);
      assertThat(health.getDetails().get("checks"))
          .isEqualTo(java.util.Map.of("topic", "SKIPPED", "tls b-1:9098", "WARN", "tcp b-1:9098", "FAIL"));
    } finally {
      indicator.destroy();
    }
  }

  @Test
  void beforeTheFirstResult_aSlowCheckIsUnknown() {
    CountDownLatch release = new CountDownLatch(1);
    MskProducerHealthIndicator indicator =
        new MskProducerHealthIndicator(
            CONFIG,
            Duration.ofMillis(50),
            Duration.ofSeconds(30),
            () -> {
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return report(Finding.Status.OK);
            },
            () -> null,
            Clock.systemUTC());
    try {
      Health h = indicator.health();
      assertThat(h.getStatus()).isEqualTo(Status.UNKNOWN);
      assertThat(h.getDetails().get("checking").toString()).contains("longer than");
    } finally {
      release.countDown();
      indicator.destroy();
    }
  }

  @Test
  void aProducerThatCannotSend_isDown_whileTheClusterChecksPass_andSaysToRestart() {
    AtomicReference<io.github.mskproducer.core.MskProducerException> failure = new AtomicReference<>();
    MskProducerHealthIndicator indicator =
        new MskProducerHealthIndicator(
            CONFIG, Duration.ofSeconds(2), Duration.ZERO, () -> report(Finding.Status.OK), failure::get, Clock.systemUTC());
    try {
      assertThat(indicator.health().getStatus()).as("started, or still starting").isEqualTo(Status.UP);

      failure.set(
          new io.github.mskproducer.core.MskAuthenticationException(
              io.github.mskproducer.core.MskAuthenticationException.Reason.INVALID_TOKEN,
              "the broker refused the IAM token: check the credentials",
              null));
      Health down = indicator.health();
      assertThat(down.getStatus()).isEqualTo(Status.DOWN);
      assertThat(down.getDetails().get("producer").toString())
          .contains("state=its start failed", "refused the IAM token", "restart the application");
      assertThat(down.getDetails().get("checks").toString()).as("the cluster's checks still shown").contains("tcp localhost:9098=OK");

      failure.set(new io.github.mskproducer.core.MskProducerClosedException("closed"));
      assertThat(indicator.health().getDetails().get("producer").toString()).contains("state=closed");
    } finally {
      indicator.destroy();
    }
  }
}
