package io.github.mskproducer.examples.readme;

// README:start
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mskproducer.core.FlushResult;
import io.github.mskproducer.core.MskProducer;
import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.LocalMskBrokerExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalMskBrokerExtension.class) // one local broker for the whole test run
class OrdersProducerTest {
  @Test
  void sendsOrders(LocalMskBroker msk) {
    msk.createTopic("orders", 3);
    try (MskProducer<String, String> producer =
        MskProducer.builder(String.class, String.class)
            .fromEnvironment(msk.environment()) // the broker's bootstrap, region, keys, truststore
            .build()) {
      for (int i = 0; i < 1_000; i++) {
        producer.send("orders", "order-" + i, "{\"id\":" + i + "}");
      }
      FlushResult<String, String> result = producer.flush(Duration.ofSeconds(30));
      assertThat(result.acknowledged()).isEqualTo(1_000);
    }
    assertThat(msk.read("orders", 1_000, Duration.ofSeconds(30))).hasSize(1_000);
  }
}
// README:end
