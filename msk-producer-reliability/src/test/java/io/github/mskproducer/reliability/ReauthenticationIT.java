package io.github.mskproducer.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mskproducer.core.FlushResult;
import io.github.mskproducer.core.MskProducer;
import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.LocalMskBrokerExtension;
import java.time.Duration;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scenario 3: the broker forces re-authentication every 2 s (connections.max.reauth.ms, as MSK
 * does at the token's expiry) while records stream for 40 s (5 minutes in soak mode): every re-authentication signs a
 * fresh token, and not one send fails.
 */
@Order(3)
class ReauthenticationIT {
  private static final String TOPIC = "s3-reauth";
  private static final String NAME = "Forced re-authentication every 2 s";

  @RegisterExtension
  static final LocalMskBrokerExtension MSK =
      LocalMskBrokerExtension.perClass(
          b ->
              b.mode(LocalMskBroker.Mode.CHILD_PROCESS)
                  .connectionsMaxReauth(Duration.ofSeconds(2))
                  .topic(TOPIC, 3));

  @Test
  void reauthenticationEveryTwoSecondsUnderLoad_zeroFailedSends() throws Exception {
    LocalMskBroker msk = MSK.broker();
    Ledger ledger = new Ledger("s3", 200);
    int rate = 1_000;
    Duration run = Soak.duration(Duration.ofSeconds(40), Duration.ofMinutes(5));
    long t0 = System.nanoTime();
    FlushResult<String, String> result;
    double reauths;
    double failedReauths;
    double failedAuths;
    try (MskProducer<String, String> producer = Brokers.producer(msk).build()) {
      try (Load load = Load.start(ledger, producer, TOPIC, rate, 2)) {
        Thread.sleep(run.toMillis());
      }
      result = producer.flush(Duration.ofMinutes(1));
      reauths = Metrics.sum(producer, "successful-reauthentication-total");
      failedReauths = Metrics.sum(producer, "failed-reauthentication-total");
      failedAuths = Metrics.sum(producer, "failed-authentication-total");
    }
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    Outcome o = Outcome.of(ledger, Arrivals.read(msk, TOPIC, ledger.run(), Duration.ofMinutes(1)));
    Figures.write(
        "3",
        NAME,
        o,
        took,
        String.format(
            "%,d records/s from 2 threads; %.0f re-authentications, %.0f failed; ack p50 %s, p99 %s",
            rate, reauths, failedReauths + failedAuths, Figures.ms(ledger.latencyMillis(50)), Figures.ms(ledger.latencyMillis(99))), ledger);

    assertThat(result.isComplete()).as("flush %s", result).isTrue();
    o.assertEveryRecordAcknowledgedOnce(ledger);
    assertThat(o.acknowledged()).isGreaterThan(rate * run.toSeconds() / 2);
    // one connection to the broker at least, re-authenticated every 2 s
    assertThat(reauths).isGreaterThanOrEqualTo(run.toSeconds() / 2.0 * 0.7);
    assertThat(failedReauths + failedAuths).isZero();
    Figures.assertDocumented("3", NAME);
  }
}
