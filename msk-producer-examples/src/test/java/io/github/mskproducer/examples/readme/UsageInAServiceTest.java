package io.github.mskproducer.examples.readme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mskproducer.core.Acks;
import io.github.mskproducer.core.FlushResult;
import io.github.mskproducer.core.MskAuth;
import io.github.mskproducer.core.MskProducer;
import io.github.mskproducer.core.MskProducerException;
import java.time.Duration;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The README's "Usage in a service" block, compiled as shown. Its bootstrap servers are MSK's
 * placeholders, which no test can reach: run, it must fail at its first blocking call with the
 * SDK's typed exception (the records it sent fail with it too), not hang or throw Kafka's own.
 * The same calls against a real broker are the other README tests (OrdersProducerTest).
 */
class UsageInAServiceTest {
  private static final Logger log = LoggerFactory.getLogger(UsageInAServiceTest.class);

  static void placeOrder(String orderId, String json) {
    // README:start
    try (MskProducer<String, String> producer = MskProducer.builder(String.class, String.class)
            .bootstrapServers("b-1.demo.abc123.c2.kafka.us-east-1.amazonaws.com:9098,"
                            + "b-2.demo.abc123.c2.kafka.us-east-1.amazonaws.com:9098")
            // everything below is the default, spelled out
            .auth(MskAuth.iam())                 // IAM, AWS SDK default credentials chain
            .acks(Acks.ALL)                      // with idempotence
            .timeouts(t -> t.request(Duration.ofSeconds(30)).delivery(Duration.ofMinutes(2)))
            .retry(r -> r.maxAttempts(3))
            .build()) {
      producer.send("orders", orderId, json);                            // CompletableFuture<RecordMetadata>
      RecordMetadata md = producer.sendAndWait("orders", orderId, json, Duration.ofSeconds(10));
      FlushResult<String, String> result = producer.flush(Duration.ofSeconds(10));
      if (!result.isComplete()) {
        result.failed().forEach(f -> log.warn("not delivered: {}", f));  // record + cause
        result.pending().forEach(r -> log.warn("still in flight: {}", r.key())); // at the deadline
      }
    }
    // README:end
  }

  @Test
  void theReadmesServiceCode_runsAsShown_andFailsTypedOnThePlaceholderCluster() {
    assertThatThrownBy(() -> placeOrder("order-1", "{\"amount\":42}"))
        .isInstanceOf(MskProducerException.class)
        // no credentials here (MskAuthenticationException), or with some, hosts that do not
        // resolve (MskConfigurationException): either way the message says what to fix
        .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("credentials", "b-1.demo.abc123"));
  }
}
