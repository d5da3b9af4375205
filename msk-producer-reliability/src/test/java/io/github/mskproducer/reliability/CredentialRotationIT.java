package io.github.mskproducer.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mskproducer.core.FlushResult;
import io.github.mskproducer.core.MskProducer;
import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.LocalMskBrokerExtension;
import io.github.mskproducer.testkit.TestIdentity;
import java.time.Duration;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scenario 4: credentials rotate mid-run, as when an IAM user's access key is rotated or a
 * role's temporary credentials are renewed: the credentials provider starts returning a new key,
 * and later the broker stops accepting the old one. Re-authentication every 2 s makes every
 * connection prove itself again after each step. Not one send fails.
 */
@Order(4)
class CredentialRotationIT {
  private static final String TOPIC = "s4-rotation";
  private static final String NAME = "Credential rotation mid-run";
  private static final String APP = "orders-app";

  @RegisterExtension
  static final LocalMskBrokerExtension MSK =
      LocalMskBrokerExtension.perClass(
          b ->
              b.mode(LocalMskBroker.Mode.CHILD_PROCESS)
                  .identity(TestIdentity.randomWithSessionToken(APP))
                  .connectionsMaxReauth(Duration.ofSeconds(2))
                  .topic(TOPIC, 3));

  @Test
  void newKeysThenOldKeyRemoved_zeroFailedSends() throws Exception {
    LocalMskBroker msk = MSK.broker();
    TestIdentity oldKey = msk.identity(APP);
    Ledger ledger = new Ledger("s4", 200);
    int rate = 1_000;
    Duration step = Soak.duration(Duration.ofSeconds(8), Duration.ofMinutes(2));
    long t0 = System.nanoTime();
    FlushResult<String, String> result;
    double reauthsBeforeRemoval;
    double reauths;
    double failedAuths;
    TestIdentity newKey;
    try (MskProducer<String, String> producer =
        Brokers.producer(msk)
            .auth(io.github.mskproducer.core.MskAuth.iam(c -> c.credentialsProvider(msk.credentialsProvider(APP))))
            .build()) {
      try (Load load = Load.start(ledger, producer, TOPIC, rate, 1)) {
        Thread.sleep(step.toMillis());
        newKey = msk.addAccessKey(APP); // the provider returns the new key from now on
        SecretScan.register(newKey);
        Thread.sleep(step.toMillis());
        reauthsBeforeRemoval = Metrics.sum(producer, "successful-reauthentication-total");
        msk.removeAccessKey(oldKey.accessKeyId()); // the old key is refused from now on
        Thread.sleep(step.toMillis());
      }
      result = producer.flush(Duration.ofMinutes(1));
      reauths = Metrics.sum(producer, "successful-reauthentication-total");
      failedAuths =
          Metrics.sum(producer, "failed-reauthentication-total") + Metrics.sum(producer, "failed-authentication-total");
    }
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    Outcome o = Outcome.of(ledger, Arrivals.read(msk, TOPIC, ledger.run(), Duration.ofMinutes(1)));
    Figures.write(
        "4",
        NAME,
        o,
        took,
        String.format(
            "session credentials; new key at %d s, old key removed at %d s; %.0f re-authentications after the removal, %.0f failed; ack p99 %s",
            step.toSeconds(), 2 * step.toSeconds(), reauths - reauthsBeforeRemoval, failedAuths, Figures.ms(ledger.latencyMillis(99))), ledger);

    assertThat(newKey.accessKeyId()).isNotEqualTo(oldKey.accessKeyId());
    assertThat(result.isComplete()).as("flush %s", result).isTrue();
    o.assertEveryRecordAcknowledgedOnce(ledger);
    assertThat(o.acknowledged()).isGreaterThan(rate * step.toSeconds());
    assertThat(reauths - reauthsBeforeRemoval).as("connections re-authenticated after the old key was removed").isGreaterThanOrEqualTo(2);
    assertThat(failedAuths).isZero();
    Figures.assertDocumented("4", NAME);
  }
}
