package io.github.mskproducer.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mskproducer.core.FlushResult;
import io.github.mskproducer.core.MskProducer;
import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.LocalMskBrokerExtension;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scenario 1: one broker, records streaming at a fixed rate; the broker is restarted cleanly,
 * then killed with SIGKILL and started again, while the producer keeps sending. Every record
 * is acknowledged, exactly once in the log. While the only broker is down, Kafka rebootstraps
 * its metadata and {@code send} blocks (up to max block) until it answers again: the row gives
 * the longest block.
 */
@Order(1)
class BrokerRestartIT {
  private static final String TOPIC = "s1-restart";
  private static final String NAME = "Broker restart mid-stream";

  @RegisterExtension
  static final LocalMskBrokerExtension MSK =
      LocalMskBrokerExtension.perClass(b -> b.mode(LocalMskBroker.Mode.CHILD_PROCESS).topic(TOPIC, 3));

  @Test
  void restartAndKillMidStream_everyRecordAcknowledgedOnce() throws Exception {
    LocalMskBroker msk = MSK.broker();
    Ledger ledger = new Ledger("s1", 200);
    int rate = 2_000;
    Duration phase = Soak.duration(Duration.ofSeconds(4), Duration.ofSeconds(60));
    long t0 = System.nanoTime();
    FlushResult<String, String> result;
    long longestSend;
    try (MskProducer<String, String> producer = Brokers.producer(msk).build()) {
      Load load = Load.start(ledger, producer, TOPIC, rate, 1);
      try (load) {
        Thread.sleep(phase.toMillis());
        msk.restart(); // clean: the broker stops (controlled shutdown) and starts again
        Thread.sleep(phase.toMillis());
        int node = msk.brokerIds().get(0);
        msk.killBroker(node); // a crash: SIGKILL, no shutdown at all
        Thread.sleep(1_000);
        msk.startBroker(node);
        Thread.sleep(phase.toMillis());
      }
      longestSend = load.longestSendMillis();
      result = producer.flush(Duration.ofMinutes(2));
    }
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    Map<Long, Integer> arrived = Arrivals.read(msk, TOPIC, ledger.run(), Duration.ofMinutes(1));
    Outcome o = Outcome.of(ledger, arrived);
    Figures.write(
        "1",
        NAME,
        o,
        took,
        String.format(
            "1 broker; a clean restart, then SIGKILL and start; %,d records/s asked; ack p50 %s, p99 %s, max %s; longest send() block %,d ms",
            rate, Figures.ms(ledger.latencyMillis(50)), Figures.ms(ledger.latencyMillis(99)), Figures.ms(ledger.latencyMillis(100)), longestSend), ledger);

    assertThat(result.isComplete()).as("flush %s", result).isTrue();
    // With its only broker down, Kafka drops its metadata and send() blocks (up to max block)
    // until a broker answers again; what was accepted must all be delivered, once.
    assertThat(o.sent()).isGreaterThan(rate * phase.toSeconds() / 2);
    o.assertEveryRecordAcknowledgedOnce(ledger);
    Figures.assertDocumented("1", NAME);
  }
}
