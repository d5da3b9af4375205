package io.github.mskproducer.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mskproducer.core.FlushResult;
import io.github.mskproducer.core.MskProducer;
import io.github.mskproducer.core.MskProducerException;
import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.LocalMskBrokerExtension;
import io.github.mskproducer.testkit.TcpProxy;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scenario 16: the epoch-bump case of KAFKA-20237. An idempotent producer with its producer id
 * loses its broker (every packet dropped) with records in flight: they expire at the delivery
 * timeout, which makes Kafka bump the producer's epoch; when the link returns, every new
 * connection fails authentication for a while (the broker's clock jumps, so every token looks
 * expired), then authentication works again. At start-up a failed authentication loses the
 * producer-id request for good (the Kafka bug); here the records sent through the episode must
 * each be acknowledged or reported failed, never left silent, and records sent after it must
 * be delivered.
 */
@Order(16)
class EpochBumpIT {
  private static final String TOPIC = "s16-epoch";
  private static final String NAME = "Epoch bump while authentication fails (KAFKA-20237)";

  @RegisterExtension
  static final LocalMskBrokerExtension MSK =
      LocalMskBrokerExtension.perClass(
          b -> b.mode(LocalMskBroker.Mode.CHILD_PROCESS).proxied(true).topic(TOPIC, 1));

  @Test
  void expiredBatchesBumpTheEpoch_whileAuthenticationFails_noRecordSilent_laterOnesDelivered() throws Exception {
    LocalMskBroker msk = MSK.broker();
    TcpProxy proxy = msk.proxy(msk.brokerIds().get(0));
    AtomicLong bumps = SecretScan.watch("Incremented producer epoch");
    AtomicLong resets = SecretScan.watch("Resetting idempotent producer ID");
    AtomicLong authFailures = SecretScan.watch("failed authentication due to");
    long bumpsBefore = bumps.get();
    long resetsBefore = resets.get();
    long authBefore = authFailures.get();
    Ledger before = new Ledger("s16a", 200);
    Ledger expired = new Ledger("s16b", 200);
    Ledger duringAuthFailure = new Ledger("s16c", 200);
    Ledger after = new Ledger("s16d", 200);
    int rounds = Soak.count(1, 5);
    long t0 = System.nanoTime();
    FlushResult<String, String> last;
    try (MskProducer<String, String> producer =
        Brokers.producer(msk)
            .timeouts(t -> t.request(Duration.ofSeconds(3)).delivery(Duration.ofSeconds(8)).maxBlock(Duration.ofSeconds(5)))
            .reconnectBackoff(Duration.ofMillis(200), Duration.ofSeconds(1))
            .build()) {
      for (int i = 0; i < 100; i++) {
        before.send(producer, TOPIC);
      }
      producer.flush(Duration.ofSeconds(30));
      for (int round = 0; round < rounds; round++) {
        // In flight when the link dies: they expire, and Kafka bumps the epoch.
        proxy.cutOff(true);
        for (int i = 0; i < 20; i++) {
          expired.send(producer, TOPIC);
        }
        producer.flush(Duration.ofSeconds(30));
        // The link returns, but every new connection fails authentication for a while.
        msk.setClockOffset(Duration.ofHours(2));
        proxy.cutOff(false);
        proxy.resetExisting();
        long failedBefore = authFailures.get();
        for (int i = 0; i < 20; i++) {
          duringAuthFailure.send(producer, TOPIC);
          Thread.sleep(100); // spread over the failing reconnects
        }
        Await.until(Duration.ofSeconds(30), "a reconnect failing authentication", () -> authFailures.get() > failedBefore);
        msk.setClockOffset(Duration.ZERO);
        producer.flush(Duration.ofSeconds(30));
        for (int i = 0; i < 20; i++) {
          after.send(producer, TOPIC);
        }
        producer.flush(Duration.ofSeconds(30));
      }
      last = producer.flush(Duration.ofSeconds(30));
    } finally {
      msk.setClockOffset(Duration.ZERO);
      proxy.cutOff(false);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    Outcome a = Outcome.of(before, Arrivals.read(msk, TOPIC, before.run(), Duration.ofMinutes(1)));
    Outcome b = Outcome.of(expired, Arrivals.read(msk, TOPIC, expired.run(), Duration.ofMinutes(1)));
    Outcome c = Outcome.of(duringAuthFailure, Arrivals.read(msk, TOPIC, duringAuthFailure.run(), Duration.ofMinutes(1)));
    Outcome d = Outcome.of(after, Arrivals.read(msk, TOPIC, after.run(), Duration.ofMinutes(1)));
    Figures.write(
        "16",
        NAME,
        d,
        took,
        String.format(
            "1 broker, idempotent producer, request timeout 3 s, delivery 8 s; %d round(s) of: link cut with 20 records in flight (%d failed at the delivery timeout, %d acknowledged), epoch bumped %d time(s), producer id reset %d time(s); link back with every authentication failing (%d failures) while 20 more were sent (%d acknowledged, %d reported failed: %s); then authentication works and 20 more are sent: the row's figures; before it all: %d of %d acknowledged",
            rounds,
            b.failed(),
            b.acknowledged(),
            bumps.get() - bumpsBefore,
            resets.get() - resetsBefore,
            authFailures.get() - authBefore,
            c.acknowledged(),
            c.failed(),
            causes(duringAuthFailure),
            a.acknowledged(),
            a.sent()),
        after);

    assertThat(last.pending()).isEmpty();
    a.assertEveryRecordAcknowledgedOnce(before);
    for (Outcome o : new Outcome[] {b, c}) {
      assertThat(o.pending()).as("no record left silent").isZero();
      assertThat(o.lost()).isZero();
      assertThat(o.duplicated()).isZero();
      assertThat(o.secondOutcomes()).isZero();
    }
    assertThat(expired.failed().values()).allSatisfy(e -> assertThat(e).isInstanceOf(MskProducerException.class));
    assertThat(c.failed()).as("records sent while authentication failed are reported failed").isPositive();
    // The authentication failure itself, or (a send that waited for metadata Kafka had dropped,
    // or a record that timed out) a delivery failure that says the connections fail it.
    assertThat(duringAuthFailure.failed().values())
        .allSatisfy(
            e ->
                assertThat(
                        e instanceof io.github.mskproducer.core.MskAuthenticationException
                            || e.getMessage().contains("failing authentication now"))
                    .as("%s", e)
                    .isTrue());
    assertThat(b.failed()).as("records in flight expired").isPositive();
    assertThat(bumps.get() - bumpsBefore).as("Kafka bumped the epoch").isPositive();
    assertThat(resets.get() - resetsBefore)
        .as("by itself: no new producer id asked for, so no request a failed authentication could lose")
        .isZero();
    assertThat(authFailures.get() - authBefore).as("authentication failed after the link returned").isPositive();
    d.assertEveryRecordAcknowledgedOnce(after);
    Figures.assertDocumented("16", NAME);
  }

  private static Map<String, Long> causes(Ledger l) {
    return l.failed().values().stream()
        .collect(Collectors.groupingBy(Ledger::rootCause, TreeMap::new, Collectors.counting()));
  }
}
