package io.github.mskproducer.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mskproducer.core.FlushResult;
import io.github.mskproducer.core.MskAuth;
import io.github.mskproducer.core.MskProducer;
import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.LocalMskBrokerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * Scenario 14: the credentials provider is in trouble while the broker makes every connection
 * re-authenticate every 3 s. First it throttles, as STS does to {@code AssumeRole} under load
 * (aws-msk-iam-auth issue #251: one throttle became a fatal SASL failure); then it hangs for
 * longer than the request timeout, as IMDS or a container endpoint can. The producer signs with
 * the credentials the provider gave before (still valid), keeps its sessions, asks the
 * provider again in the background with back-off, and says why in one warning; nothing is
 * lost or failed. A producer started while the provider throttles retries it (not fatal).
 */
@Order(14)
class CredentialsTroubleIT {
  private static final String TOPIC = "s14-credentials";
  private static final String NAME = "Credentials provider throttled, then hanging";
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

  @RegisterExtension
  static final LocalMskBrokerExtension MSK =
      LocalMskBrokerExtension.perClass(
          b ->
              b.mode(LocalMskBroker.Mode.CHILD_PROCESS)
                  .connectionsMaxReauth(Duration.ofSeconds(3))
                  .topic(TOPIC, 3));

  /** The broker's provider behind a switch: answers, throttles (STS-style) or hangs. */
  static final class Troubled implements AwsCredentialsProvider {
    enum Mode { OK, THROTTLE, HANG }

    final AwsCredentialsProvider real;
    volatile Mode mode = Mode.OK;
    volatile int throttleFirst; // calls to throttle before answering, whatever the mode
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger refused = new AtomicInteger();

    Troubled(AwsCredentialsProvider real) {
      this.real = real;
    }

    @Override
    public AwsCredentials resolveCredentials() {
      calls.incrementAndGet();
      if (throttleFirst > 0) {
        throttleFirst--;
        throw throttled();
      }
      switch (mode) {
        case THROTTLE:
          throw throttled();
        case HANG:
          try {
            TimeUnit.MILLISECONDS.sleep(REQUEST_TIMEOUT.toMillis() * 3);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return real.resolveCredentials();
        default:
          return real.resolveCredentials();
      }
    }

    private StsException throttled() {
      refused.incrementAndGet();
      return (StsException)
          StsException.builder()
              .statusCode(400)
              .message("Rate exceeded (Service: Sts, Status Code: 400)")
              .awsErrorDetails(AwsErrorDetails.builder().errorCode("Throttling").errorMessage("Rate exceeded").serviceName("Sts").build())
              .build();
    }
  }

  @Test
  void throttledThenHangingProvider_duringReauthentication_nothingLostOrFailed() throws Exception {
    LocalMskBroker msk = MSK.broker();
    SecretScan.register(msk);
    Troubled provider = new Troubled(msk.credentialsProvider());
    Ledger ledger = new Ledger("s14", 200);
    int rate = 500;
    Duration calm = Soak.duration(Duration.ofSeconds(4), Duration.ofSeconds(30));
    Duration trouble = Soak.duration(Duration.ofSeconds(15), Duration.ofMinutes(2));
    AtomicLong warnings = SecretScan.watch("asking it again in the background, with back-off");
    AtomicLong recoveries = SecretScan.watch("answers again: IAM tokens are signed with its current credentials");
    AtomicLong namedThrottling = SecretScan.watch("failed (software.amazon.awssdk.services.sts.model.StsException: Rate exceeded");
    long namedBefore = namedThrottling.get();
    long warnedBefore = warnings.get();
    long recoveredBefore = recoveries.get();
    List<String> phases = new ArrayList<>();
    List<Double> troubleReauths = new ArrayList<>();
    long t0 = System.nanoTime();
    FlushResult<String, String> result;
    double reauths;
    double failedAuths;
    int startCalls;
    try (MskProducer<String, String> producer =
        Brokers.producer(msk)
            .auth(MskAuth.iam(c -> c.credentialsProvider(provider)))
            .timeouts(t -> t.request(REQUEST_TIMEOUT).delivery(Duration.ofSeconds(60)))
            .build()) {
      producer.awaitReady(Duration.ofSeconds(30));
      try (Load load = Load.start(ledger, producer, TOPIC, rate, 2)) {
        Thread.sleep(calm.toMillis());
        for (Troubled.Mode mode : List.of(Troubled.Mode.THROTTLE, Troubled.Mode.HANG)) {
          ledger.newPhase();
          int callsBefore = provider.calls.get();
          double reauthBefore = Metrics.sum(producer, "successful-reauthentication-total");
          provider.mode = mode;
          Thread.sleep(trouble.toMillis());
          provider.mode = Troubled.Mode.OK;
          troubleReauths.add(Metrics.sum(producer, "successful-reauthentication-total") - reauthBefore);
          phases.add(
              String.format(
                  "%s for %d s: %.0f re-authentications, %d provider calls, ack p99 %s",
                  mode == Troubled.Mode.THROTTLE ? "throttling (STS Throttling)" : "hanging " + REQUEST_TIMEOUT.toSeconds() * 3 + " s per call (request timeout " + REQUEST_TIMEOUT.toSeconds() + " s)",
                  trouble.toSeconds(),
                  Metrics.sum(producer, "successful-reauthentication-total") - reauthBefore,
                  provider.calls.get() - callsBefore,
                  Figures.ms(ledger.phaseLatencyMillis(99))));
          Thread.sleep(calm.toMillis());
        }
      }
      result = producer.flush(Duration.ofMinutes(1));
      reauths = Metrics.sum(producer, "successful-reauthentication-total");
      failedAuths = Metrics.sum(producer, "failed-reauthentication-total") + Metrics.sum(producer, "failed-authentication-total");
    }

    // A producer started while the provider throttles: the first token is retried, not fatal.
    provider.throttleFirst = 3;
    int before = provider.calls.get();
    Ledger start = new Ledger("s14-start", 200);
    try (MskProducer<String, String> producer =
        Brokers.producer(msk).auth(MskAuth.iam(c -> c.credentialsProvider(provider))).build()) {
      start.send(producer, TOPIC).get(60, TimeUnit.SECONDS);
    }
    startCalls = provider.calls.get() - before;
    Duration took = Duration.ofNanos(System.nanoTime() - t0);

    Outcome o = Outcome.of(ledger, Arrivals.read(msk, TOPIC, ledger.run(), Duration.ofMinutes(1)));
    Outcome os = Outcome.of(start, Arrivals.read(msk, TOPIC, start.run(), Duration.ofMinutes(1)));
    Figures.write(
        "14",
        NAME,
        o,
        took,
        String.format(
            "%,d records/s from 2 threads; the broker makes each connection re-authenticate every 3 s; %s; %.0f re-authentications in all, %.0f failed; %d warning(s) naming the cause, %d recovery line(s); ack p50 %s, p99 %s; a producer started while the provider throttled its first 3 calls: first record acknowledged after %d provider calls",
            rate,
            String.join("; ", phases),
            reauths,
            failedAuths,
            warnings.get() - warnedBefore,
            recoveries.get() - recoveredBefore,
            Figures.ms(ledger.latencyMillis(50)),
            Figures.ms(ledger.latencyMillis(99)),
            startCalls),
        ledger);

    assertThat(result.isComplete()).as("flush %s", result).isTrue();
    o.assertEveryRecordAcknowledgedOnce(ledger);
    os.assertEveryRecordAcknowledgedOnce(start);
    assertThat(failedAuths).as("no authentication failed: the earlier credentials signed").isZero();
    assertThat(troubleReauths)
        .as("connections re-authenticated during each kind of trouble (every 3 s)")
        .allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(trouble.toSeconds() / 3.0 * 0.5));
    assertThat(warnings.get() - warnedBefore).as("the trouble is reported, once per episode").isBetween(1L, 2L);
    assertThat(namedThrottling.get() - namedBefore).as("with its cause").isPositive();
    assertThat(recoveries.get() - recoveredBefore).as("and its end").isPositive();
    assertThat(startCalls).as("the throttled first calls were retried").isGreaterThanOrEqualTo(4);
    Figures.assertDocumented("14", NAME);
  }
}
