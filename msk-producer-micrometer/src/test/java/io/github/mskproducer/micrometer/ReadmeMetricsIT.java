package io.github.mskproducer.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mskproducer.core.MskProducer;
import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.LocalMskBrokerExtension;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The README's Micrometer example, run against the local broker. */
class ReadmeMetricsIT {
  @RegisterExtension
  static final LocalMskBrokerExtension MSK = LocalMskBrokerExtension.perClass(b -> b.topic("orders", 1));

  @Test
  void theReadmeExample_countsWhatItSent() throws Exception {
    LocalMskBroker msk = MSK.broker();
    Map<String, String> environment = msk.environment();
    MeterRegistry registry = new SimpleMeterRegistry();
    // README:start
    MskProducerMetrics metrics = MskProducerMetrics.create(Tags.of("producer", "orders"));
    try (MskProducer<String, String> producer =
        MskProducer.builder(String.class, String.class)
            .fromEnvironment(environment) // MSK_BOOTSTRAP_SERVERS, AWS_REGION, ...
            .listener(metrics) // hears every record, token, retry and restart
            .build()) {
      metrics.bindTo(registry); // Spring Boot binds the starter's MskProducerMetrics itself
      producer.send("orders", "order-1", "{\"amount\":42}").get();
    }
    double acknowledged = registry.get("msk.producer.records.acknowledged").functionCounter().count();
    // README:end
    assertThat(acknowledged).isEqualTo(1);
    assertThat(registry.get("msk.producer.send.latency").timer().count()).isEqualTo(1);
    assertThat(registry.find("msk.producer.records.sent").tags("producer", "orders").functionCounter())
        .isNotNull();
    metrics.close();
  }
}
