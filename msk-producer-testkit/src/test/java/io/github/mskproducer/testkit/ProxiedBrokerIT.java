package io.github.mskproducer.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every client connection goes through the proxies; a blackhole stalls the old ones only. */
class ProxiedBrokerIT {
  @RegisterExtension
  static final LocalMskBrokerExtension MSK =
      LocalMskBrokerExtension.perClass(b -> b.proxied(true).topic("proxied", 1));

  @Test
  void clientsConnectThroughTheProxy_andABlackholeStallsOnlyEstablishedConnections() throws Exception {
    LocalMskBroker msk = MSK.broker();
    TcpProxy proxy = msk.proxy(1);
    assertThat(msk.bootstrapServers()).isEqualTo("localhost:" + proxy.port());
    try (LocalMskBroker.Restorable creds = msk.installCredentialsAsSystemProperties();
        KafkaProducer<String, String> old =
            KafkaClients.producer(msk.mskIamClientProperties(), "request.timeout.ms", "3000")) {
      old.send(new ProducerRecord<>("proxied", "before")).get(30, TimeUnit.SECONDS);
      assertThat(proxy.acceptedConnections()).isGreaterThanOrEqualTo(2); // bootstrap + broker

      proxy.blackholeExisting();
      Future<RecordMetadata> stalled = old.send(new ProducerRecord<>("proxied", "during"));
      try (KafkaProducer<String, String> fresh = KafkaClients.producer(msk.mskIamClientProperties())) {
        fresh.send(new ProducerRecord<>("proxied", "fresh")).get(30, TimeUnit.SECONDS);
      }
      assertThat(stalled.isDone()).as("no answer can come over a blackholed connection").isFalse();

      // After its request timeout the old producer gives up the dead connection and reconnects.
      assertThat(stalled.get(60, TimeUnit.SECONDS).topic()).isEqualTo("proxied");
      assertThat(KafkaClients.readValues(msk.mskIamClientProperties(), "proxied", 3, Duration.ofSeconds(60)))
          .containsExactlyInAnyOrder("before", "during", "fresh");
    }
  }
}
