package io.github.mskproducer.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mskproducer.core.FlushResult;
import io.github.mskproducer.core.MskDeliveryException;
import io.github.mskproducer.core.MskProducer;
import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.LocalMskBrokerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scenario 11: the network cuts the producer off from one broker of three while the others
 * stay reachable (an availability zone, a security-group change). A proxy per broker; one
 * drops every packet, established connections and new ones, for 60 s, then heals. The broker
 * itself is fine (its replication and controller links are not cut), so it stays the leader of
 * its partitions: records for partitions led elsewhere keep flowing; the rest wait in the
 * buffer and are delivered once the link heals, or fail visibly at the delivery timeout.
 * Nothing lost, nothing doubled. Kafka's defaults: request timeout 30 s, delivery 120 s.
 */
@Order(11)
class BrokerCutOffIT {
  private static final String TOPIC = "s11-cutoff";
  private static final String NAME = "One broker cut off (3 brokers, a proxy each)";
  private static final int PARTITIONS = 6;

  @RegisterExtension
  static final LocalMskBrokerExtension MSK =
      LocalMskBrokerExtension.perClass(
b -> Brokers.threeBrokers(b).proxied(true));

  @Test
  void oneBrokerCutOffFor60s_othersKeepFlowing_nothingLostOrDoubled() throws Exception {
    LocalMskBroker msk = MSK.broker();
    msk.createTopic(TOPIC, PARTITIONS, (short) 3);
    Ledger ledger = new Ledger("s11", 200);
    int rate = 600;
    Duration cut = Duration.ofSeconds(60);
    int cuts = Soak.count(1, 3); // soak: each broker in turn
    List<String> perCut = new ArrayList<>();
    long t0 = System.nanoTime();
    FlushResult<String, String> result;
    long flowingDuringCuts = 0;
    long expectedFlowing = 0;
    List<Long> healedAfterMillis = new ArrayList<>();
    try (MskProducer<String, String> producer = Brokers.producer(msk).build()) {
      producer.awaitReady(Duration.ofSeconds(30));
      try (Load load = Load.start(ledger, producer, TOPIC, rate, 2)) {
        Thread.sleep(3_000);
        for (int i = 0; i < cuts; i++) {
          Map<Integer, Integer> leaders = leaders(msk);
          int node = msk.brokerIds().get(i % 3);
          Set<Integer> led =
              leaders.entrySet().stream().filter(e -> e.getValue() == node).map(Map.Entry::getKey).collect(Collectors.toSet());
          long[] before = acked(ledger);
          load.takeLongestSendMillis();
          msk.proxy(node).cutOff(true);
          Thread.sleep(cut.toMillis());
          long[] atHeal = acked(ledger);
          msk.proxy(node).cutOff(false);
          long elsewhere = 0;
          long onCut = 0;
          for (int p = 0; p < PARTITIONS; p++) {
            long n = atHeal[p] - before[p];
            if (led.contains(p)) {
              onCut += n;
            } else {
              elsewhere += n;
            }
          }
          // Keys spread the records evenly over the partitions.
          long expected = rate * cut.toSeconds() * (PARTITIONS - led.size()) / PARTITIONS;
          flowingDuringCuts += elsewhere;
          expectedFlowing += expected;
          long h0 = System.nanoTime();
          long[] healedFrom = acked(ledger);
          long healedAfter = -1;
          while (System.nanoTime() - h0 < Duration.ofSeconds(90).toNanos()) {
            long[] now = acked(ledger);
            boolean moving = led.stream().allMatch(p -> now[p] > healedFrom[p]);
            if (moving) {
              healedAfter = (System.nanoTime() - h0) / 1_000_000;
              break;
            }
            Thread.sleep(100);
          }
          healedAfterMillis.add(healedAfter);
          perCut.add(
              String.format(
                  "broker %d (leader of partitions %s) cut off %d s: acknowledged meanwhile on the other partitions %,d (%,d asked), on its own %,d; its partitions acknowledged again %s after the heal; longest send() %,d ms",
                  node,
                  led,
                  cut.toSeconds(),
                  elsewhere,
                  expected,
                  onCut,
                  healedAfter < 0 ? "not within 90 s" : String.format("%,d ms", healedAfter),
                  load.takeLongestSendMillis()));
          Thread.sleep(3_000);
        }
      }
      result = producer.flush(Duration.ofMinutes(3));
    }
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    Map<Long, Integer> arrived = Arrivals.read(msk, TOPIC, ledger.run(), Duration.ofMinutes(2));
    Outcome o = Outcome.of(ledger, arrived);
    Figures.write(
        "11",
        NAME,
        o,
        took,
        String.format(
            "%,d records/s asked from 2 threads, %d partitions, RF 3; one proxy drops every packet (established and new connections) for %d s, then heals; %s; ack p50 %s, p99 %s, max %s; reported failed but in the log: %d",
            rate,
            PARTITIONS,
            cut.toSeconds(),
            String.join("; ", perCut),
            Figures.ms(ledger.latencyMillis(50)),
            Figures.ms(ledger.latencyMillis(99)),
            Figures.ms(ledger.latencyMillis(100)),
            o.failedButArrived()),
        ledger);

    assertThat(result.pending()).as("every record has an outcome: %s", result).isEmpty();
    assertThat(o.pending()).isZero();
    assertThat(o.lost()).as("acknowledged but not in the log").isZero();
    assertThat(o.duplicated()).as("duplicates in the log").isZero();
    assertThat(o.unknown()).isZero();
    assertThat(o.secondOutcomes()).isZero();
    assertThat(ledger.failed().values())
        .as("a record that could not be delivered fails visibly, at the delivery timeout")
        .allSatisfy(e -> assertThat(e).isInstanceOf(MskDeliveryException.class).hasMessageContaining("timeouts.delivery"));
    assertThat(flowingDuringCuts)
        .as("records for partitions led by reachable brokers kept flowing during the cut")
        .isGreaterThan(expectedFlowing / 2);
    assertThat(healedAfterMillis)
        .as("the cut broker's partitions were acknowledged again within 90 s of each heal")
        .allSatisfy(ms -> assertThat(ms).isNotNegative());
    Figures.assertDocumented("11", NAME);
  }

  private static long[] acked(Ledger ledger) {
    long[] a = new long[PARTITIONS];
    for (int p = 0; p < PARTITIONS; p++) {
      a[p] = ledger.acknowledgedOn(p);
    }
    return a;
  }

  private static Map<Integer, Integer> leaders(LocalMskBroker msk) throws Exception {
    TopicDescription d = msk.admin().describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC);
    return d.partitions().stream().collect(Collectors.toMap(TopicPartitionInfo::partition, p -> p.leader().id()));
  }
}
