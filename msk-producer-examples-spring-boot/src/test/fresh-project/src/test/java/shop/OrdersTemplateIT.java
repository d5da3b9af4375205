package shop;

// README:start
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mskproducer.core.MskProducer;
import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.LocalMskBrokerExtension;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A @SpringBootTest against the local broker: the starter's producer and KafkaTemplate. */
@SpringBootTest
class OrdersTemplateIT {
  @RegisterExtension
  static final LocalMskBrokerExtension MSK = LocalMskBrokerExtension.perClass(b -> b.topic("orders", 3));

  @DynamicPropertySource
  static void msk(DynamicPropertyRegistry properties) {
    LocalMskBroker msk = MSK.broker();
    properties.add("MSK_BOOTSTRAP_SERVERS", msk::bootstrapServers); // read by application.yml
    properties.add("AWS_REGION", msk::region);
    properties.add("msk.producer.truststore.pem", () -> msk.truststorePem().toString());
    properties.add("msk.producer.auth.access-key-id", () -> msk.identity().accessKeyId());
    properties.add("msk.producer.auth.secret-access-key", () -> msk.identity().secretAccessKey());
  }

  @Autowired MskProducer<String, String> producer;
  @Autowired KafkaTemplate<String, String> template; // from spring-boot-starter-kafka, over IAM

  @Test
  void theProducerAndTheTemplate_bothWrite() throws Exception {
    producer.sendAndWait("orders", "o-1", "{\"id\":\"o-1\"}", Duration.ofSeconds(30));
    template.send("orders", "o-2", "{\"id\":\"o-2\"}").get();

    List<ConsumerRecord<String, String>> read = MSK.broker().read("orders", 2, Duration.ofSeconds(30));
    assertThat(read).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("o-1", "o-2");
  }
}
// README:end
