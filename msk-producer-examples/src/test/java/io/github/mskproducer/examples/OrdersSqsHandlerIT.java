package io.github.mskproducer.examples;

import io.github.mskproducer.testkit.TestLambdaContext;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.LocalMskBrokerExtension;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Lambda examples as Lambda runs them: one handler instance per execution environment,
 * configured only by environment variables and the default credentials chain, invoked with
 * SQS events, writing to the local broker over TLS with SigV4-signed IAM tokens.
 */
class OrdersSqsHandlerIT {
  @RegisterExtension
  static final LocalMskBrokerExtension MSK =
      LocalMskBrokerExtension.perClass(b -> b.topic("orders", 3).topic("orders-denied", 1).topic("orders-snap", 3));

  private LocalMskBroker.Restorable credentials;

  private Map<String, String> environment(String topic) {
    LocalMskBroker msk = MSK.broker();
    // What the function gets: its template's variables, plus AWS_REGION from Lambda; the
    // truststore only because the local broker's certificate is self-signed (MSK's is not).
    credentials = msk.installCredentialsAsSystemProperties();
    return Map.of(
        "MSK_BOOTSTRAP_SERVERS", msk.bootstrapServers(),
        OrdersSqsHandler.TOPIC_VARIABLE, topic,
        "AWS_REGION", msk.region(),
        "MSK_TRUSTSTORE", msk.truststorePem().toString());
  }

  @AfterEach
  void restoreCredentials() {
    if (credentials != null) {
      credentials.close();
    }
    MSK.broker().clearAcls();
  }

  @Test
  void validOrders_areProduced_invalidMessages_areTheOnlyBatchItemFailures() {
    OrdersSqsHandler handler = new OrdersSqsHandler(environment("orders"), b -> {});
    try {
      SQSBatchResponse first =
          handler.handleRequest(
              Sqs.event(
                  "m1", Sqs.order("o-1", 100),
                  "m2", "not json",
                  "m3", Sqs.order("o-2", 200),
                  "m4", "{\"orderId\":\"o-3\",\"customerId\":\"c\",\"amountCents\":-5,\"currency\":\"EUR\"}",
                  "m5", Sqs.order("o-1", 150)),
              TestLambdaContext.of("req-1", java.time.Duration.ofMillis(20_000)));
      SQSBatchResponse second =
          handler.handleRequest(Sqs.event("m6", Sqs.order("o-4", 400)), TestLambdaContext.of("req-2", java.time.Duration.ofMillis(20_000)));

      assertThat(first.getBatchItemFailures())
          .extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
          .containsExactly("m2", "m4");
      assertThat(second.getBatchItemFailures()).isEmpty();
      List<ConsumerRecord<String, String>> records = LocalRead.records(MSK.broker(), "orders", 4);
      assertThat(records).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("o-1", "o-2", "o-1", "o-4");
      // Keyed by order id: the two events of o-1 are on one partition, in the order sent.
      assertThat(records.stream().filter(r -> r.key().equals("o-1")).map(r -> Order.fromJson(r.value()).amountCents()))
          .containsExactly(100L, 150L);
      assertThat(handler.producer().stats().acknowledged()).isEqualTo(4);
    } finally {
      handler.producer().close();
    }
  }

  @Test
  void whenMskRefusesTheWrites_everyMessageIsABatchItemFailure_soLambdaRetriesThem() {
    MSK.broker()
        .deny(
            MSK.broker().identity().name(),
            AclOperation.WRITE,
            new ResourcePattern(ResourceType.TOPIC, "orders-denied", PatternType.LITERAL));
    OrdersSqsHandler handler = new OrdersSqsHandler(environment("orders-denied"), b -> {});
    try {
      SQSBatchResponse response =
          handler.handleRequest(
              Sqs.event("m1", Sqs.order("o-1", 100), "m2", Sqs.order("o-2", 200)),
              TestLambdaContext.of("req-3", java.time.Duration.ofMillis(20_000)));

      assertThat(response.getBatchItemFailures())
          .extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
          .containsExactlyInAnyOrder("m1", "m2");
    } finally {
      handler.producer().close();
    }
  }

  @Test
  void snapStartVariant_primesBeforeTheCheckpoint_andProducesAfterTheRestore() {
    SnapStartOrdersHandler handler = new SnapStartOrdersHandler(environment("orders-snap"), b -> {});
    try {
      // Init ran (the constructor). Lambda then takes the snapshot: CRaC runs the checkpoint
      // hooks in reverse order of registration, the handler's (priming, no network), then the
      // producer's (it closes everything) ...
      handler.beforeCheckpoint(null);
      handler.producer().beforeCheckpoint(null);
      String clientIdBefore = handler.producer().clientId();
      // ... and the restore hooks in order, maybe many times, in new execution environments.
      handler.producer().afterRestore(null);
      handler.afterRestore(null);

      SQSBatchResponse response =
          handler.handleRequest(
              Sqs.event("m1", Sqs.order("o-1", 100), "m2", Sqs.order("o-2", 200)),
              TestLambdaContext.of("req-4", java.time.Duration.ofMillis(20_000)));

      assertThat(handler.primedOrders()).isEqualTo(100);
      assertThat(response.getBatchItemFailures()).isEmpty();
      assertThat(handler.producer().clientId()).isNotEqualTo(clientIdBefore);
      assertThat(LocalRead.orders(MSK.broker(), "orders-snap", 2))
          .extracting(Order::orderId)
          .containsExactlyInAnyOrder("o-1", "o-2");
    } finally {
      handler.producer().close();
    }
  }
}
