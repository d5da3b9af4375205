package io.github.mskproducer.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class SmokeIT {
  @Test
  void produces() throws Exception {
    long t0 = System.nanoTime();
    try (LocalMskBroker msk = LocalMskBroker.builder().topic("t", 1).start();
        LocalMskBroker.Restorable creds = msk.installCredentialsAsSystemProperties()) {
      System.out.println("started in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
      Properties p = msk.mskIamClientProperties();
      p.put("key.serializer", StringSerializer.class.getName());
      p.put("value.serializer", StringSerializer.class.getName());
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
        RecordMetadata md = producer.send(new ProducerRecord<>("t", "k", "v")).get();
        assertThat(md.offset()).isEqualTo(0);
      }
    }
  }
}
