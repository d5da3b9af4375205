package io.github.mskproducer.core.internal.send;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The first authentication's outcome, read from a producer's metrics (here, a stub's). */
class FirstAuthenticationTest {
  /** A producer whose metrics are what the test says. */
  private static final class Stub extends MockProducer<String, String> {
    final Map<MetricName, Metric> metrics = new LinkedHashMap<>();
    RuntimeException metadataFailure;
    final java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);

    @Override
    public synchronized java.util.List<org.apache.kafka.common.PartitionInfo> partitionsFor(String topic) {
      if (metadataFailure != null) {
        throw metadataFailure;
      }
      try {
        never.await(); // as a metadata wait with nothing stored: blocks
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return java.util.List.of();
    }

    Stub() {
      super(false, null, new StringSerializer(), new StringSerializer());
    }

    Stub with(String name, double value) {
      MetricName n = new MetricName(name, "producer-metrics", "", Map.of("client-id", "c"));
      metrics.put(
          n,
          new Metric() {
            @Override
            public MetricName metricName() {
              return n;
            }

            @Override
            public Object metricValue() {
              return value;
            }
          });
      return this;
    }

    @Override
    public synchronized Map<MetricName, Metric> metrics() {
      return metrics;
    }
  }

  @Test
  void aSuccessfulAuthentication_isSucceeded_evenAfterAFailure() {
    Stub p = new Stub().with("failed-authentication-total", 1).with("successful-authentication-total", 1);
    assertThat(FirstAuthentication.await(p, Duration.ofSeconds(5))).isEqualTo(FirstAuthentication.Outcome.SUCCEEDED);
  }

  @Test
  void aFailureWithNoSuccess_isFailed() {
    Stub p = new Stub().with("failed-authentication-total", 2).with("successful-authentication-total", 0);
    assertThat(FirstAuthentication.await(p, Duration.ofSeconds(5))).isEqualTo(FirstAuthentication.Outcome.FAILED);
  }

  @Test
  void aClosedConnectionWithoutAuthentication_isUnknown_withoutWaitingForTheBound() {
    Stub p = new Stub().with("connection-close-total", 1).with("failed-authentication-total", 0);
    // were the closed connection ignored, this would wait the whole bound
    assertThat(FirstAuthentication.await(p, Duration.ofMinutes(10))).isEqualTo(FirstAuthentication.Outcome.UNKNOWN);
  }

  @Test
  void nothingYet_isUnknown_whenTheBoundPasses() {
    Stub p = new Stub().with("successful-authentication-total", 0);
    assertThat(FirstAuthentication.await(p, Duration.ofMillis(50))).isEqualTo(FirstAuthentication.Outcome.UNKNOWN);
  }

  @Test
  void theReason_isReadFromTheFailureKafkaKeptForTheNextMetadataWait() {
    Stub rate = new Stub();
    rate.metadataFailure = new org.apache.kafka.common.errors.SaslAuthenticationException("Too many connects");
    assertThat(FirstAuthentication.refusedForRate(rate, Duration.ofSeconds(10))).isTrue();

    Stub credentials = new Stub();
    credentials.metadataFailure =
        new org.apache.kafka.common.errors.SaslAuthenticationException("invalid_token: signature does not match");
    assertThat(FirstAuthentication.refusedForRate(credentials, Duration.ofSeconds(10))).isFalse();

    Stub noAnswer = new Stub(); // nothing stored yet: unknown, so a new producer is worth it
    assertThat(FirstAuthentication.refusedForRate(noAnswer, Duration.ofMillis(50))).isTrue();
    noAnswer.never.countDown();
  }
}
