package io.github.mskproducer.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.LocalMskBrokerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Serializers given to the builder belong to the producer: closed once, when it closes, and
 * never by the Kafka producers it replaces on the way (the start-up restart against
 * KAFKA-20237).
 */
@ExtendWith(LocalMskBrokerExtension.class)
class SerializerOwnershipIT {
  private final LocalMskBroker msk;

  SerializerOwnershipIT(LocalMskBroker msk) {
    this.msk = msk;
  }

  private MskProducerBuilder<String, String> builder(OwnedSerializer key, OwnedSerializer value) {
    return MskProducer.builder(key, value)
        .bootstrapServers(msk.bootstrapServers())
        .region(msk.region())
        .truststore(msk.truststorePem())
        .auth(MskAuth.iam(c -> c.credentialsProvider(msk.credentialsProvider())));
  }

  @Test
  void serializers_areClosedOnce_whenTheProducerCloses_notBefore() throws Exception {
    msk.createTopic("core-serde", 1);
    OwnedSerializer one = new OwnedSerializer(); // key and value: one object
    MskProducer<String, String> producer = builder(one, one).build();
    producer.send("core-serde", "k", "v").get(30, TimeUnit.SECONDS);
    assertThat(one.closes).hasValue(0);

    producer.close();
    producer.close();

    assertThat(one.closes).as("closed once, though it is key and value serializer").hasValue(1);
    assertThat(one.serialized).hasValue(2);
  }

  @Test
  void aStartupRestart_keepsTheSerializersOpen() throws Exception {
    msk.createTopic("core-serde-restart", 1);
    // MSK's "Too many connects": with 1 new authentication per second, producers built together
    // are refused their first authentication and build() restarts their Kafka producer.
    msk.setIamConnectionRateLimit(1);
    AtomicInteger restarts = new AtomicInteger();
    MskProducerListener countRestarts =
        new MskProducerListener() {
          @Override
          public void onRestarted(int attempt, Duration wait, MskAuthenticationException cause) {
            restarts.incrementAndGet();
          }
        };
    List<OwnedSerializer> serializers = new ArrayList<>();
    List<CompletableFuture<MskProducer<String, String>>> building = new ArrayList<>();
    List<MskProducer<String, String>> producers = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        OwnedSerializer key = new OwnedSerializer();
        OwnedSerializer value = new OwnedSerializer();
        serializers.add(key);
        serializers.add(value);
        building.add(
            CompletableFuture.supplyAsync(
                () ->
                    builder(key, value)
                        .retry(r -> r.maxElapsed(Duration.ofSeconds(30)))
                        .listener(countRestarts)
                        .build()));
      }
      for (CompletableFuture<MskProducer<String, String>> b : building) {
        producers.add(b.get(120, TimeUnit.SECONDS));
      }
      for (MskProducer<String, String> p : producers) {
        assertThat(p.awaitReady(Duration.ofSeconds(60))).isTrue();
      }
      assertThat(restarts.get()).as("some producer was restarted (else this tested nothing)").isPositive();
      msk.setIamConnectionRateLimit(0);
      for (MskProducer<String, String> p : producers) {
        p.sendAndWait("core-serde-restart", "k", "v", Duration.ofSeconds(60));
      }
      assertThat(serializers).allSatisfy(s -> assertThat(s.closes).hasValue(0));
    } finally {
      msk.setIamConnectionRateLimit(0);
      producers.forEach(MskProducer::close);
    }
    assertThat(serializers).allSatisfy(s -> assertThat(s.closes).hasValue(1));
  }
}
