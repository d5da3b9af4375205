package io.github.mskproducer.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mskproducer.core.FlushResult;
import io.github.mskproducer.core.MskProducer;
import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.LocalMskBrokerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scenario 10: MSK patches a cluster by a rolling restart: one broker after another stops
 * (controlled shutdown: its leaderships move first), is patched, starts, and the next one
 * follows only when every partition is fully replicated again. Three brokers, a topic with
 * replication factor 3 and min.insync.replicas 2, records streaming the whole time; the roll
 * goes twice round the cluster. Every record is acknowledged, exactly once in the log; the row
 * gives, per broker restart, the acknowledgement p99 and the longest {@code send} block.
 */
@Order(10)
class RollingRestartIT {
  private static final String TOPIC = "s10-rolling";
  private static final String NAME = "Rolling restart (3 brokers, RF 3, min ISR 2, twice round)";
  private static final int PARTITIONS = 6;

  @RegisterExtension
  static final LocalMskBrokerExtension MSK =
      LocalMskBrokerExtension.perClass(Brokers::threeBrokers);

  @Test
  void rollingRestartTwiceUnderLoad_everyRecordAcknowledgedOnce() throws Exception {
    LocalMskBroker msk = MSK.broker();
    msk.createTopic(TOPIC, PARTITIONS, (short) 3);
    awaitFullyReplicated(msk, TOPIC, Duration.ofMinutes(1));

    Ledger ledger = new Ledger("s10", 200);
    int rate = 1_000;
    int rounds = 2;
    Duration patching = Soak.duration(Duration.ofSeconds(2), Duration.ofSeconds(30));
    Duration between = Soak.duration(Duration.ofSeconds(2), Duration.ofSeconds(30));
    List<String> perRestart = new ArrayList<>();
    long worstBlock = 0;
    long t0 = System.nanoTime();
    FlushResult<String, String> result;
    try (MskProducer<String, String> producer = Brokers.producer(msk).build()) {
      producer.awaitReady(Duration.ofSeconds(30));
      try (Load load = Load.start(ledger, producer, TOPIC, rate, 2)) {
        Thread.sleep(between.toMillis());
        for (int round = 1; round <= rounds; round++) {
          for (int node : msk.brokerIds()) {
            ledger.newPhase();
            load.takeLongestSendMillis();
            long r0 = System.nanoTime();
            msk.stopBroker(node); // controlled shutdown, as MSK's patching does
            Thread.sleep(patching.toMillis());
            msk.startBroker(node);
            awaitFullyReplicated(msk, TOPIC, Duration.ofMinutes(2)); // MSK moves on only then
            Thread.sleep(between.toMillis());
            long block = load.takeLongestSendMillis();
            worstBlock = Math.max(worstBlock, block);
            perRestart.add(
                String.format(
                    "%d.%d: %.0f s, ack p99 %s, longest send() %,d ms",
                    round,
                    node,
                    (System.nanoTime() - r0) / 1e9,
                    Figures.ms(ledger.phaseLatencyMillis(99)),
                    block));
          }
        }
      }
      result = producer.flush(Duration.ofMinutes(2));
    }
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    Map<Long, Integer> arrived = Arrivals.read(msk, TOPIC, ledger.run(), Duration.ofMinutes(2));
    Outcome o = Outcome.of(ledger, arrived);
    Figures.write(
        "10",
        NAME,
        o,
        took,
        String.format(
            "%,d records/s asked from 2 threads, %d partitions; each broker stopped cleanly, %d s down, started, next one once every partition had 3 in-sync replicas again; ack p50 %s, p99 %s, max %s; per restart (round.broker): %s",
            rate,
            PARTITIONS,
            patching.toSeconds(),
            Figures.ms(ledger.latencyMillis(50)),
            Figures.ms(ledger.latencyMillis(99)),
            Figures.ms(ledger.latencyMillis(100)),
            String.join("; ", perRestart)),
        ledger);

    assertThat(result.isComplete()).as("flush %s", result).isTrue();
    assertThat(perRestart).hasSize(rounds * 3);
    o.assertEveryRecordAcknowledgedOnce(ledger);
    assertThat(o.acknowledged()).as("records kept flowing through the roll").isGreaterThan(rate * 10L);
    Figures.assertDocumented("10", NAME);
  }

  /** Waits until every partition of the topic has all three replicas in sync. */
  static void awaitFullyReplicated(LocalMskBroker msk, String topic, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        TopicDescription d = msk.admin().describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        if (d.partitions().stream().allMatch(RollingRestartIT::fullyReplicated)) {
          return;
        }
      } catch (java.util.concurrent.ExecutionException e) {
        // the admin's broker may be the one restarting: ask again
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the partitions of " + topic + " were not fully replicated within " + timeout);
      }
      Thread.sleep(200);
    }
  }

  private static boolean fullyReplicated(TopicPartitionInfo p) {
    return p.leader() != null && p.isr().size() == p.replicas().size();
  }
}
