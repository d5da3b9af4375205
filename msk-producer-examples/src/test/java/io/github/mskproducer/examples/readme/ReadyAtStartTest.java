package io.github.mskproducer.examples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mskproducer.core.MskProducer;
import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.LocalMskBrokerExtension;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The README's eager start: build() returns at once, awaitReady connects. */
@ExtendWith(LocalMskBrokerExtension.class)
class ReadyAtStartTest {
  @Test
  void buildReturnsAtOnce_awaitReadyConnects(LocalMskBroker msk) {
    Map<String, String> environment = msk.environment();
    // README:start
    MskProducer<String, String> producer = MskProducer.builder(String.class, String.class)
        .fromEnvironment(environment)           // in a service: fromEnvironment()
        .build();                               // returns at once, nothing waited for
    boolean ready = producer.awaitReady(Duration.ofSeconds(10)); // optional: connect now
    // README:end
    try {
      assertThat(ready).isTrue();
      assertThat(producer.isReady()).isTrue();
    } finally {
      producer.close();
    }
  }
}
