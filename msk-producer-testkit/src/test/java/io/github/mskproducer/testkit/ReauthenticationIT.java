package io.github.mskproducer.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * MSK ends IAM sessions at token expiry; clients must re-authenticate on the live connection
 * (failure mode F6). Here the broker forces it every 2 seconds while a producer keeps sending.
 */
class ReauthenticationIT {
  @RegisterExtension
  static final LocalMskBrokerExtension MSK =
      LocalMskBrokerExtension.perClass(
          b -> b.connectionsMaxReauth(Duration.ofSeconds(2)).topic("reauth", 2));

  @Test
  void forcedReauthenticationEveryTwoSeconds_whileProducing_losesNothing() throws Exception {
    LocalMskBroker msk = MSK.broker();
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    List<Future<RecordMetadata>> acks = new ArrayList<>();
    try (LocalMskBroker.Restorable creds = msk.installCredentialsAsSystemProperties();
        KafkaProducer<String, String> producer = KafkaClients.producer(msk.mskIamClientProperties())) {
      int[] sent = {0};
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(50))
          .until(
              () -> {
                acks.add(
                    producer.send(
                        new ProducerRecord<>("reauth", "record-" + sent[0]++),
                        (md, e) -> {
                          if (e != null) {
                            failures.add(e);
                          }
                        }));
                return KafkaClients.metricTotal(
                        producer.metrics(), "successful-reauthentication-total")
                    >= 4;
              });
      for (Future<RecordMetadata> ack : acks) {
        ack.get(30, TimeUnit.SECONDS);
      }

      assertThat(failures).isEmpty();
      assertThat(KafkaClients.metricTotal(producer.metrics(), "failed-reauthentication-total"))
          .isZero();
      assertThat(KafkaClients.metricTotal(producer.metrics(), "successful-reauthentication-total"))
          .isGreaterThanOrEqualTo(4);
      assertThat(
              KafkaClients.readValues(
                  msk.mskIamClientProperties(), "reauth", acks.size(), Duration.ofSeconds(60)))
          .hasSize(acks.size());
    }
  }

  @Test
  void sessionEndsAtTokenExpiry_soTheClientReauthenticatesWithoutBrokerMaxReauth() throws Exception {
    // No connections.max.reauth.ms here: only the token's (capped) lifetime ends the session,
    // as on MSK where it is X-Amz-Date + X-Amz-Expires.
    try (LocalMskBroker msk =
            LocalMskBroker.builder().maxTokenLifetime(Duration.ofSeconds(4)).topic("expiry", 1).start();
        LocalMskBroker.Restorable creds = msk.installCredentialsAsSystemProperties();
        KafkaProducer<String, String> producer = KafkaClients.producer(msk.mskIamClientProperties())) {
      List<Future<RecordMetadata>> acks = new ArrayList<>();
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                acks.add(producer.send(new ProducerRecord<>("expiry", "v")));
                return KafkaClients.metricTotal(producer.metrics(), "successful-reauthentication-total")
                    >= 2;
              });
      for (Future<RecordMetadata> ack : acks) {
        ack.get(30, TimeUnit.SECONDS);
      }
      assertThat(KafkaClients.metricTotal(producer.metrics(), "failed-reauthentication-total")).isZero();
    }
  }
}
