package io.github.mskproducer.core.internal.send;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mskproducer.core.MskAuthenticationException;
import io.github.mskproducer.core.MskAuthenticationException.Reason;
import io.github.mskproducer.core.MskAuthorizationException;
import io.github.mskproducer.core.MskDeliveryException;
import io.github.mskproducer.core.MskProducerException;
import io.github.mskproducer.core.internal.auth.CredentialsException;
import java.time.Duration;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnsupportedSaslMechanismException;
import org.junit.jupiter.api.Test;

class ErrorsTest {
  private final ProducerRecord<String, String> record = new ProducerRecord<>("orders", 2, "key", "secret value");

  private static Errors errors(boolean idempotence) {
    return new Errors(
        new Errors.Context(
            "b-1:9098", "IAM", "eu-west-1", idempotence, Duration.ofSeconds(5), Duration.ofMinutes(2), () -> "AKIAEXAMPLE"));
  }

  @Test
  void kafkasRefusalOfAClosedProducer_isAClosedProducer_notADeliveryFailure() {
    MskProducerException e =
        errors(true)
            .forRecord(
                new IllegalStateException("Cannot perform operation after producer has been closed"),
                record,
                true);

    assertThat(e)
        .isInstanceOf(io.github.mskproducer.core.MskProducerClosedException.class)
        .hasMessageContaining("nothing was sent to topic orders")
        .hasMessageNotContaining("secret value");
    assertThat(e.isRetriable()).isFalse();
    // Any other IllegalStateException stays a delivery failure.
    assertThat(errors(true).forRecord(new IllegalStateException("something else"), record, true))
        .isInstanceOf(MskDeliveryException.class);
  }

  @Test
  void authentication_isClassified_withHints() {
    Errors e = errors(true);

    assertThat(auth(e, new SaslAuthenticationException("Too many connects")))
        .satisfies(x -> assertThat(x.reason()).isEqualTo(Reason.TOO_MANY_CONNECTS))
        .satisfies(x -> assertThat(x.isRetriable()).isTrue());
    assertThat(auth(e, new SaslAuthenticationException("Cannot change principals during re-authentication")))
        .satisfies(x -> assertThat(x.reason()).isEqualTo(Reason.PRINCIPAL_CHANGED))
        .hasMessageContaining("fixed role session name");
    assertThat(auth(e, new SaslAuthenticationException("{\"status\":\"invalid_token\"}")))
        .satisfies(x -> assertThat(x.reason()).isEqualTo(Reason.INVALID_TOKEN))
        .satisfies(x -> assertThat(x.isRetriable()).isFalse())
        .hasMessageContaining("region eu-west-1")
        .hasMessageContaining("access key AKIA…")
        .hasMessageNotContaining("AKIAEXAMPLE")
        .hasMessageContaining("clock");
    assertThat(
            auth(
                e,
                new SaslAuthenticationException(
                    "login failed",
                    new CredentialsException(CredentialsException.Kind.EXPIRED, "expired at X", null))))
        .satisfies(x -> assertThat(x.reason()).isEqualTo(Reason.CREDENTIALS_EXPIRED));
  }

  @Test
  void timeouts_whileConnectionsFailAuthentication_sayThat_notTheTopic() {
    Errors e = errors(true);
    java.util.Map<org.apache.kafka.common.MetricName, org.apache.kafka.common.Metric> metrics = new java.util.HashMap<>();
    java.util.function.BiConsumer<String, Double> put =
        (name, value) -> {
          org.apache.kafka.common.MetricName n =
              new org.apache.kafka.common.MetricName(name, "producer-metrics", "", java.util.Map.of());
          metrics.put(
              n,
              new org.apache.kafka.common.Metric() {
                @Override
                public org.apache.kafka.common.MetricName metricName() {
                  return n;
                }

                @Override
                public Object metricValue() {
                  return value;
                }
              });
        };
    put.accept("connection-creation-total", 9.0);
    put.accept("successful-authentication-total", 3.0);
    put.accept("failed-authentication-total", 6.0);
    put.accept("successful-authentication-rate", 0.0);
    put.accept("failed-authentication-rate", 0.2);
    e.connectionMetrics(() -> metrics);

    MskProducerException beforeBuffer =
        e.forRecord(new TimeoutException("Topic orders not present in metadata after 5000 ms."), record, true);
    assertThat(beforeBuffer)
        .hasMessageContaining("failing authentication now")
        .hasMessageContaining("TLS handshake")
        .hasMessageNotContaining("the connections to the brokers work");
    MskProducerException expired =
        e.forRecord(new TimeoutException("Expiring 1 record(s) for orders-2: 120000 ms has passed"), record, false);
    assertThat(expired).hasMessageContaining("failing authentication now");

    put.accept("successful-authentication-rate", 0.5); // more succeed than fail: fine again
    put.accept("failed-authentication-rate", 0.0);
    Errors later = errors(true);
    later.connectionMetrics(() -> metrics);
    assertThat(later.forRecord(new TimeoutException("Topic orders not present in metadata after 5000 ms."), record, true))
        .hasMessageContaining("the connections to the brokers work");
  }

  @Test
  void fullBuffer_namesBufferMemoryAndMaxBlock_andIsNotRetriedInsideSend() {
    org.apache.kafka.clients.producer.BufferExhaustedException full =
        new org.apache.kafka.clients.producer.BufferExhaustedException(
            "Failed to allocate 1024 bytes within the configured max blocking time 5000 ms.");

    assertThat(errors(true).forRecord(full, record, true))
        .isInstanceOf(MskDeliveryException.class)
        .hasMessageContaining("buffer.memory")
        .hasMessageContaining("timeouts.maxBlock (PT5S)")
        .hasMessageContaining("nothing was sent")
        .hasMessageNotContaining("metadata")
        .satisfies(x -> assertThat(((MskProducerException) x).isRetriable()).isTrue());
    // Kafka has already waited max block for space: another attempt inside send would make the
    // caller wait longer than max block.
    assertThat(Errors.retriableBeforeBuffer(full)).isFalse();
    assertThat(Errors.retriableBeforeBuffer(new TimeoutException("no metadata"))).isTrue();
  }

  @Test
  void clusterAuthorization_withIdempotence_namesWriteDataIdempotently() {
    assertThat(errors(true).forRecord(new ClusterAuthorizationException("x"), record, false))
        .isInstanceOfSatisfying(
            MskAuthorizationException.class,
            x -> {
              assertThat(x.missingAction())
                  .isEqualTo(MskAuthorizationException.IamAction.WRITE_DATA_IDEMPOTENTLY);
              assertThat(x).hasMessageContaining("kafka-cluster:WriteDataIdempotently");
            });
    assertThat(
            errors(true)
                .forRecord(
                    new org.apache.kafka.common.KafkaException(
                        "Cannot execute transactional method because we are in an error state",
                        new ClusterAuthorizationException("x")),
                    record,
                    true))
        .isInstanceOfSatisfying(
            MskAuthorizationException.class,
            x ->
                assertThat(x.missingAction())
                    .isEqualTo(MskAuthorizationException.IamAction.WRITE_DATA_IDEMPOTENTLY));
    assertThat(errors(false).forRecord(new ClusterAuthorizationException("x"), record, false))
        .isInstanceOfSatisfying(
            MskAuthorizationException.class,
            x -> assertThat(x.missingAction()).isEqualTo(MskAuthorizationException.IamAction.CONNECT));
  }

  @Test
  void delivery_namesTopicPartitionAndKeyHash_neverTheValue_andSaysIfRetriable() {
    Errors e = errors(true);

    MskProducerException tooLarge = e.forRecord(new RecordTooLargeException("big"), record, false);
    MskProducerException notLeader = e.forRecord(new NotLeaderOrFollowerException("moved"), record, false);
    MskProducerException noMetadata = e.forRecord(new TimeoutException("no metadata"), record, true);

    assertThat(tooLarge)
        .isInstanceOf(MskDeliveryException.class)
        .hasMessageContaining("property(\"max.request.size\", ...)");
    assertThat(tooLarge.isRetriable()).isFalse();
    assertThat(notLeader.isRetriable()).isTrue();
    assertThat(noMetadata).hasMessageContaining("timeouts.maxBlock (PT5S)").hasMessageContaining("b-1:9098");
    for (MskProducerException x : new MskProducerException[] {tooLarge, notLeader, noMetadata}) {
      assertThat(x)
          .hasMessageContaining("topic orders partition 2")
          .hasMessageContaining("key hash " + "key".hashCode())
          .hasMessageNotContaining("secret value");
      assertThat(((MskDeliveryException) x).topic()).isEqualTo("orders");
      assertThat(((MskDeliveryException) x).partition()).hasValue(2);
    }
  }

  @Test
  void kafkasOwnMessage_endingInAPeriod_isNotFollowedByASecondOne() {
    MskProducerException tooLarge =
        errors(true)
            .forRecord(
                new RecordTooLargeException(
                    "The message is 2097252 bytes when serialized which is larger than 1048576,"
                        + " which is the value of the max.request.size configuration."),
                record,
                true);
    assertThat(tooLarge.getMessage())
        .doesNotContain("configuration..")
        .contains("max.request.size configuration. The record is larger");
  }

  @Test
  void aTopicTheClusterDoesNotHave_isNamed_andNotRetriable() {
    MskProducerException missing =
        errors(true).forRecord(new TopicNotFoundException("orders"), record, true);
    assertThat(missing)
        .isInstanceOf(MskDeliveryException.class)
        .hasMessageContaining("topic orders does not exist on the cluster")
        .hasMessageContaining("Create it");
    assertThat(missing.isRetriable()).isFalse();
  }

  @Test
  void aPortWithoutTheMechanism_isMechanismNotEnabled_namingThePortToUse() {
    Errors e = errors(true);
    assertThat(
            auth(
                e,
                new org.apache.kafka.common.errors.IllegalSaslStateException(
                    "Unexpected handshake request with client mechanism OAUTHBEARER, enabled"
                        + " mechanisms are []")))
        .satisfies(x -> assertThat(x.reason()).isEqualTo(Reason.MECHANISM_NOT_ENABLED))
        .hasMessageContaining("offer no SASL mechanism")
        .hasMessageContaining("9098")
        .hasMessageNotContaining("token");
    assertThat(
            auth(
                e,
                new UnsupportedSaslMechanismException(
                    "Client SASL mechanism 'OAUTHBEARER' not enabled in the server, enabled"
                        + " mechanisms are [SCRAM-SHA-512]")))
        .satisfies(x -> assertThat(x.reason()).isEqualTo(Reason.MECHANISM_NOT_ENABLED))
        .hasMessageContaining("SCRAM-SHA-512")
        .hasMessageContaining("9096");
  }

  private static MskAuthenticationException auth(Errors e, Throwable t) {
    MskProducerException x = e.general(t, "test");
    assertThat(x).isInstanceOf(MskAuthenticationException.class);
    return (MskAuthenticationException) x;
  }
}
