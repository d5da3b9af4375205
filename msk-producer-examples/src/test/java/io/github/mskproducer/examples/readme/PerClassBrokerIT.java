package io.github.mskproducer.examples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mskproducer.core.MskProducer;
import io.github.mskproducer.testkit.LocalMskBrokerExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PerClassBrokerIT {
  // README:start
  @RegisterExtension
  static final LocalMskBrokerExtension MSK =
      LocalMskBrokerExtension.perClass(
          b ->
              b.brokers(3) // leader fail-over (replication factor 3, min.insync.replicas 2)
                  .connectionsMaxReauth(Duration.ofSeconds(2)) // re-authenticate often
                  .topic("orders", 3));
  // README:end

  @Test
  void aConfiguredBrokerOfItsOwn() {
    assertThat(MSK.broker().brokerIds()).hasSize(3);
    try (MskProducer<String, String> producer =
        MskProducer.builder(String.class, String.class)
            .fromEnvironment(MSK.broker().environment())
            .build()) {
      assertThat(producer.sendAndWait("orders", "k", "v", Duration.ofSeconds(30))).isNotNull();
    }
    assertThat(MSK.broker().read("orders", 1, Duration.ofSeconds(30))).hasSize(1);
  }
}
