package io.github.mskproducer.examples.readme;

// README:start
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mskproducer.core.MskProducer;
import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.LocalMskBrokerExtension;
import io.github.mskproducer.testkit.TcpProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class NetworkTroubleTest {
  @RegisterExtension // a broker of this class's own, behind a proxy the test controls
  static final LocalMskBrokerExtension MSK =
      LocalMskBrokerExtension.perClass(b -> b.proxied(true).topic("payments", 1));

  @Test
  void survivesACutOffAndACertificateRotation() throws Exception {
    LocalMskBroker msk = MSK.broker();
    try (MskProducer<String, String> producer =
        MskProducer.builder(String.class, String.class)
            .fromEnvironment(msk.environment())
            .timeouts(t -> t.request(Duration.ofSeconds(5))) // a dead connection found in 5 s
            .build()) {
      producer.sendAndWait("payments", "p-1", "before", Duration.ofSeconds(30));

      TcpProxy proxy = msk.proxy(msk.brokerIds().get(0));
      proxy.cutOff(true); // no packet passes, on new connections either
      CompletableFuture<RecordMetadata> during = producer.send("payments", "p-2", "during");
      Thread.sleep(2_000);
      proxy.cutOff(false); // healed
      during.get(2, TimeUnit.MINUTES);

      msk.rotateCertificate(true); // returns once the broker serves the new certificate
      proxy.resetExisting(); // the client reconnects and meets it
      producer.sendAndWait("payments", "p-3", "after", Duration.ofSeconds(30));

      // A plain consumer with the producer's IAM, TLS and connection settings.
      Map<String, Object> props = producer.clientProperties();
      try (KafkaConsumer<String, String> consumer =
          new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
        TopicPartition partition = new TopicPartition("payments", 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        List<String> values = new ArrayList<>();
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (values.size() < 3 && System.nanoTime() < end) {
          consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
        }
        assertThat(values).containsExactly("before", "during", "after");
      }
    }
  }
}
// README:end
