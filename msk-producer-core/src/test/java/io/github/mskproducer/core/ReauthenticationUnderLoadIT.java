package io.github.mskproducer.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.LocalMskBrokerExtension;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * F6: the broker forces re-authentication every 2 s; 30 s of sending (10 in CI's run with
 * another kafka-clients) loses nothing.
 */
class ReauthenticationUnderLoadIT {
  /** 30; CI's run with another kafka-clients sets 10 ({@code -Dreauth.load.seconds}). */
  private static final int SECONDS = Integer.getInteger("reauth.load.seconds", 30);
  /** Re-authentications expected at least: one per 3 s of the run (the broker asks every 2 s), 3 or more. */
  private static final int MIN_REAUTHENTICATIONS = Math.max(3, SECONDS / 3);

  @RegisterExtension
  static final LocalMskBrokerExtension MSK =
      LocalMskBrokerExtension.perClass(b -> b.connectionsMaxReauth(Duration.ofSeconds(2)).topic("reauth-load", 3));

  @Test
  void forcedReauthenticationEveryTwoSeconds_underLoad_zeroFailures() throws Exception {
    LocalMskBroker msk = MSK.broker();
    AtomicLong tokens = new AtomicLong();
    try (MskProducer<String, String> producer =
        LocalMsk.producer(msk)
            .listener(
                new MskProducerListener() {
                  @Override
                  public void onTokenGenerated(String region, java.time.Instant expiresAt) {
                    tokens.incrementAndGet();
                  }
                })
            .build()) {
      long sent = 0;
      long end = System.nanoTime() + Duration.ofSeconds(SECONDS).toNanos();
      while (System.nanoTime() < end) {
        for (int i = 0; i < 20; i++) {
          producer.send("reauth-load", "k" + (sent % 10), "record-" + sent++);
        }
        Thread.sleep(10);
      }
      FlushResult<String, String> result = producer.flush(Duration.ofSeconds(60));

      assertThat(result.failed()).isEmpty();
      assertThat(result.pending()).isEmpty();
      assertThat(result.acknowledged()).isEqualTo(sent);
      assertThat(LocalMsk.metric(producer, "failed-reauthentication-total")).isZero();
      double reauthentications = LocalMsk.metric(producer, "successful-reauthentication-total");
      assertThat(reauthentications).isGreaterThanOrEqualTo(MIN_REAUTHENTICATIONS);
      // A fresh token for every re-authentication (F7): at least as many tokens.
      assertThat((double) tokens.get()).isGreaterThanOrEqualTo(reauthentications);
    }
  }

}
