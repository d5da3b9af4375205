package io.github.mskproducer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.LocalMskBrokerExtension;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A send to a topic the cluster does not have fails naming the topic, without waiting out the
 * max-block time (60 s here, the default): if the check did not work, these sends would end in
 * Kafka's metadata timeout a minute later, with another message. Also with kafka-clients 3.8.1
 * (the build's second run): an interrupted wait for metadata buffers nothing.
 */
@ExtendWith(LocalMskBrokerExtension.class)
class MissingTopicIT {
  private final LocalMskBroker msk;

  MissingTopicIT(LocalMskBroker msk) {
    this.msk = msk;
  }

  @Test
  void send_toAMissingTopic_failsNamingIt_andNotRetriable() throws Exception {
    try (MskProducer<String, String> producer = LocalMsk.producer(msk).build()) {
      CompletableFuture<RecordMetadata> sent = producer.send("core-no-such-topic", "k", "v");
      assertThatThrownBy(() -> sent.get(50, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOfSatisfying(
              MskDeliveryException.class,
              e -> {
                assertThat(e.topic()).isEqualTo("core-no-such-topic");
                assertThat(e.isRetriable()).isFalse();
                assertThat(e.getMessage())
                    .contains("topic core-no-such-topic does not exist on the cluster")
                    .contains("nothing was sent");
              });
      FlushResult<String, String> flushed = producer.flush(Duration.ofSeconds(10));
      assertThat(flushed.failed()).hasSize(1);
      assertThat(flushed.pending()).isEmpty();

      // Reported failed, and truly not sent: once the topic exists, it stays empty.
      msk.createTopic("core-no-such-topic", 1);
      producer.flush(Duration.ofSeconds(5));
      assertThat(msk.read("core-no-such-topic", 1, Duration.ofSeconds(3))).isEmpty();

      // The producer goes on to topics that exist, which take the direct path once known.
      msk.createTopic("core-exists", 1);
      assertThat(producer.sendAndWait("core-exists", "k", "v1", Duration.ofSeconds(30))).isNotNull();
      assertThat(producer.sendAndWait("core-exists", "k", "v2", Duration.ofSeconds(30))).isNotNull();
    }
  }

  @Test
  void partitionsFor_aMissingTopic_failsNamingIt() {
    try (MskProducer<String, String> producer = LocalMsk.producer(msk).build()) {
      assertThatThrownBy(() -> producer.partitionsFor("core-no-such-topic-2"))
          .isInstanceOf(MskDeliveryException.class)
          .hasMessageContaining("topic core-no-such-topic-2 does not exist");
    }
  }

  @Test
  void aClusterThatCreatesTopicsOnFirstUse_stillGetsTheRecord() {
    try (LocalMskBroker autoCreate = LocalMskBroker.builder().autoCreateTopics(true).start();
        MskProducer<String, String> producer = LocalMsk.producer(autoCreate).build()) {
      assertThat(producer.sendAndWait("core-created-on-use", "k", "v", Duration.ofSeconds(50)).topic())
          .isEqualTo("core-created-on-use");
    }
  }
}
