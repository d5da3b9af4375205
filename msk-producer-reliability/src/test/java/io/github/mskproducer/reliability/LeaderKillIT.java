package io.github.mskproducer.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mskproducer.core.FlushResult;
import io.github.mskproducer.core.MskDeliveryException;
import io.github.mskproducer.core.MskProducer;
import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.LocalMskBrokerExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scenario 2: three brokers, replication factor 3, min.insync.replicas 2 (MSK's defaults for
 * three brokers). The partition leader's process is killed with SIGKILL mid-stream: every
 * record is acknowledged, exactly once in the log. Then a second broker stops: with one
 * replica left, acks=all cannot be met, so every send fails visibly, and nothing is reported
 * acknowledged that is not in the log.
 */
@Order(2)
class LeaderKillIT {
  private static final String TOPIC = "s2-replicated";
  private static final String KILL = "Leader killed (3 brokers, RF 3, min ISR 2)";
  private static final String SECOND = "Then a second broker stopped";

  @RegisterExtension
  static final LocalMskBrokerExtension MSK =
      LocalMskBrokerExtension.perClass(Brokers::threeBrokers);

  @Test
  void killTheLeader_nothingLost_thenOneReplicaLeft_sendsFailVisibly() throws Exception {
    LocalMskBroker msk = MSK.broker();
    msk.createTopic(TOPIC, 1, (short) 3);
    int leader = partition(msk).leader().id();
    assertThat(partition(msk).isr()).hasSize(3);

    Ledger ledger = new Ledger("s2", 200);
    Ledger afterSecond = new Ledger("s2b", 200);
    int rate = 1_000;
    Duration phase = Soak.duration(Duration.ofSeconds(4), Duration.ofSeconds(60));
    long t0 = System.nanoTime();
    FlushResult<String, String> first;
    FlushResult<String, String> second;
    long tSecond;
    Duration tookSecond;
    int stopped;
    long notEnoughReplicas;
    try (MskProducer<String, String> producer =
        Brokers.producer(msk)
            .timeouts(t -> t.request(Duration.ofSeconds(10)).delivery(Duration.ofSeconds(30)))
            .build()) {
      try (Load load = Load.start(ledger, producer, TOPIC, rate, 1)) {
        Thread.sleep(phase.toMillis());
        msk.killBroker(leader);
        Thread.sleep(phase.toMillis() + 8_000); // through the fencing and the new leader's election
      }
      first = producer.flush(Duration.ofMinutes(2));
      TopicPartitionInfo now = partition(msk);
      assertThat(now.leader().id()).isNotEqualTo(leader);
      stopped = now.isr().stream().map(Node::id).filter(id -> id != leader && id != now.leader().id()).findFirst().orElseThrow();

      java.util.concurrent.atomic.AtomicLong refusals = SecretScan.watch("Error: NOT_ENOUGH_REPLICAS");
      refusals.set(0);
      tSecond = System.nanoTime();
      msk.stopBroker(stopped); // clean: it leaves the ISR as it goes, one replica is left
      for (int i = 0; i < 200; i++) {
        afterSecond.send(producer, TOPIC);
      }
      second = producer.flush(Duration.ofMinutes(1));
      tookSecond = Duration.ofNanos(System.nanoTime() - tSecond);
      notEnoughReplicas = refusals.get();
    } finally {
      if (!msk.isRunning()) {
        msk.start();
      }
    }
    Duration took = Duration.ofNanos(tSecond - t0);
    msk.startBroker(leader);
    msk.startBroker(stopped);

    Outcome o = Outcome.of(ledger, Arrivals.read(msk, TOPIC, ledger.run(), Duration.ofMinutes(2)));
    Map<Long, Integer> arrivedSecond = Arrivals.read(msk, TOPIC, afterSecond.run(), Duration.ofMinutes(2));
    Outcome o2 = Outcome.of(afterSecond, arrivedSecond);
    Figures.write(
        "2",
        KILL,
        o,
        took,
        String.format(
            "SIGKILL of broker %d (the leader) mid-stream at %,d records/s; ack p50 %s, p99 %s, max %s",
            leader, rate, Figures.ms(ledger.latencyMillis(50)), Figures.ms(ledger.latencyMillis(99)), Figures.ms(ledger.latencyMillis(100))));
    Map<String, Long> causes =
        afterSecond.failed().values().stream()
            .collect(Collectors.groupingBy(Ledger::rootCause, Collectors.counting()));
    Figures.write(
        "2b",
        SECOND,
        o2,
        tookSecond,
        "broker " + stopped + " stopped, 1 replica left: the leader answered NOT_ENOUGH_REPLICAS "
            + notEnoughReplicas + " times, Kafka retried until the delivery timeout (30 s); failures: " + causes
            + "; reported failed but in the log: " + o2.failedButArrived());

    assertThat(first.isComplete()).as("flush %s", first).isTrue();
    o.assertEveryRecordAcknowledgedOnce(ledger);
    assertThat(o.acknowledged()).isGreaterThan(rate * phase.toSeconds());

    assertThat(second.pending()).as("every send has an outcome: %s", second).isEmpty();
    assertThat(o2.acknowledged()).as("nothing acknowledged with one replica").isZero();
    assertThat(o2.failed()).isEqualTo(200);
    assertThat(afterSecond.failed().values()).allSatisfy(e -> assertThat(e).isInstanceOf(MskDeliveryException.class));
    assertThat(notEnoughReplicas).as("the leader refused the writes: not enough replicas").isPositive();
    assertThat(afterSecond.failed().values())
        .as("the failures say why")
        .allSatisfy(e -> assertThat(e.getMessage()).contains("timeouts.delivery", "min.insync.replicas"));
    assertThat(o2.lost()).isZero();
    assertThat(o2.duplicated()).isZero();
    Figures.assertDocumented("2", KILL);
    Figures.assertDocumented("2b", SECOND);
  }

  private static TopicPartitionInfo partition(LocalMskBroker msk) throws Exception {
    TopicDescription d = msk.admin().describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC);
    return d.partitions().get(0);
  }
}
