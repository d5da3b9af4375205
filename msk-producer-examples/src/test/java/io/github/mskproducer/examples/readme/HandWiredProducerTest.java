package io.github.mskproducer.examples.readme;

// README:start
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.LocalMskBrokerExtension;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalMskBrokerExtension.class)
class HandWiredProducerTest {
  @Test
  void aPlainKafkaProducerWithAwsMskIamAuth(LocalMskBroker msk) throws Exception {
    msk.createTopic("payments", 1);
    // bootstrap, SASL_SSL, OAUTHBEARER, aws-msk-iam-auth's callback handler, the truststore:
    Properties props = msk.mskIamClientProperties();
    // aws-msk-iam-auth reads credentials and region from the AWS SDK's default chains:
    try (LocalMskBroker.Restorable credentials = msk.installCredentialsAsSystemProperties();
        KafkaProducer<String, String> producer =
            new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>("payments", "p-1", "{}")).get();
    }
    assertThat(msk.read("payments", 1, Duration.ofSeconds(30))).hasSize(1);
  }
}
// README:end
