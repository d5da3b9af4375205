package io.github.mskproducer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mskproducer.testkit.LocalMskBroker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A producer whose brokers are not there fails clearly within its max block time. */
class BrokerDownAtStartIT {
  @Test
  void brokerDown_sendFailsWithinMaxBlock_sayingWhatToCheck() {
    try (LocalMskBroker notStarted = LocalMskBroker.builder().build();
        MskProducer<String, String> producer =
            LocalMsk.producer(notStarted).timeouts(t -> t.maxBlock(Duration.ofSeconds(3))).build()) {
      long t0 = System.nanoTime();

      assertThatThrownBy(() -> producer.sendAndWait("orders", "k", "v", Duration.ofSeconds(60)))
          .isInstanceOfSatisfying(
              MskDeliveryException.class,
              e -> {
                assertThat(e.isRetriable()).isTrue();
                assertThat(e.getMessage())
                    .contains("timeouts.maxBlock (PT3S)")
                    .contains(notStarted.bootstrapServers())
                    .contains("no connection to the brokers")
                    .contains("could be opened");
              });
      // Bounded: the send gave up at max block (3 s), not after a minute.
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(30));
    }
  }
}
