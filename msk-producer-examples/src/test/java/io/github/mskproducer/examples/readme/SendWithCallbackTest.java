package io.github.mskproducer.examples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mskproducer.core.FlushResult;
import io.github.mskproducer.core.MskProducer;
import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.LocalMskBrokerExtension;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The README's high-rate send: a callback per record instead of a future. */
@ExtendWith(LocalMskBrokerExtension.class)
class SendWithCallbackTest {
  @Test
  void callbacksHearEveryRecord_andFlushCountsThem(LocalMskBroker msk) {
    msk.createTopic("clicks", 3);
    AtomicLong acknowledged = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    try (MskProducer<String, String> producer =
        MskProducer.builder(String.class, String.class).fromEnvironment(msk.environment()).build()) {
      for (int i = 0; i < 10_000; i++) {
        String click = "{\"page\":\"/p/" + i + "\"}";
        // README:start
        producer.send(new ProducerRecord<>("clicks", click), (metadata, failure) -> {
          if (failure != null) {
            failed.incrementAndGet();          // an MskProducerException: typed, retriable or not
          } else {
            acknowledged.incrementAndGet();    // runs on Kafka's I/O thread: keep it short
          }
        });
        // README:end
      }
      FlushResult<String, String> result = producer.flush(Duration.ofSeconds(60));
      assertThat(result.isComplete()).isTrue();
      assertThat(result.acknowledged()).isEqualTo(10_000);
    }
    assertThat(acknowledged).hasValue(10_000);
    assertThat(failed).hasValue(0);
  }
}
