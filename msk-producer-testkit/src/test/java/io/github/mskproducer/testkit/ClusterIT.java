package io.github.mskproducer.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Three brokers, replication factor 3: the leader goes away and producing carries on. */
class ClusterIT {
  @RegisterExtension
  static final LocalMskBrokerExtension MSK =
      LocalMskBrokerExtension.perClass(b -> b.brokers(3).topic("replicated", 1));

  @Test
  void threeBrokers_leaderStops_producingWithAcksAllCarriesOn() throws Exception {
    LocalMskBroker msk = MSK.broker();
    assertThat(msk.brokerIds()).containsExactly(1, 2, 3);
    assertThat(msk.bootstrapServers().split(",")).hasSize(3);
    TopicPartitionInfo partition = describe(msk).partitions().get(0);
    assertThat(partition.replicas()).hasSize(3);
    int leader = partition.leader().id();

    try (LocalMskBroker.Restorable creds = msk.installCredentialsAsSystemProperties();
        KafkaProducer<String, String> producer =
            KafkaClients.producer(
                msk.mskIamClientProperties(), "acks", "all", "delivery.timeout.ms", "90000")) {
      producer.send(new ProducerRecord<>("replicated", "before")).get(30, TimeUnit.SECONDS);

      msk.stopBroker(leader);
      try {
        producer.send(new ProducerRecord<>("replicated", "after")).get(60, TimeUnit.SECONDS);
        assertThat(describe(msk).partitions().get(0).leader().id()).isNotEqualTo(leader);
      } finally {
        msk.startBroker(leader);
      }
      assertThat(
              KafkaClients.readValues(msk.mskIamClientProperties(), "replicated", 2, Duration.ofSeconds(60)))
          .containsExactly("before", "after");
    }
  }

  private static TopicDescription describe(LocalMskBroker msk) throws Exception {
    return msk.admin().describeTopics(List.of("replicated")).allTopicNames().get().get("replicated");
  }
}
