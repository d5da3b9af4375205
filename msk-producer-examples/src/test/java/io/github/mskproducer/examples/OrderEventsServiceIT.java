package io.github.mskproducer.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mskproducer.core.FlushResult;
import io.github.mskproducer.core.MskAuth;
import io.github.mskproducer.core.MskAuthorizationException;
import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.LocalMskBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The plain-service example against the local broker: in this JVM, and as its own process. */
class OrderEventsServiceIT {
  @RegisterExtension
  static final LocalMskBrokerExtension MSK =
      LocalMskBrokerExtension.perClass(b -> b.topic("svc-orders", 3).topic("svc-denied", 1).topic("svc-main", 1));

  private static Map<String, String> environment(String topic) {
    LocalMskBroker msk = MSK.broker();
    return Map.of(
        "MSK_BOOTSTRAP_SERVERS", msk.bootstrapServers(),
        "AWS_REGION", msk.region(),
        "MSK_TRUSTSTORE", msk.truststorePem().toString(),
        OrderEventsService.TOPIC_VARIABLE, topic);
  }

  @Test
  void publishedOrders_areAcknowledged_keyedByOrderId_andReadBackIntact() throws Exception {
    LocalMskBroker msk = MSK.broker();
    List<CompletableFuture<RecordMetadata>> acks = new ArrayList<>();
    List<Order> sent = new ArrayList<>();
    try (OrderEventsService service =
        OrderEventsService.fromEnvironment(
            environment("svc-orders"), b -> b.auth(MskAuth.iam(c -> c.credentialsProvider(msk.credentialsProvider()))))) {
      for (int i = 0; i < 200; i++) {
        Order order = new Order("o-" + (i % 20), "c-" + i, i, "EUR");
        sent.add(order);
        acks.add(service.publish(order));
      }
      FlushResult<String, Order> drained = service.drain(java.time.Duration.ofSeconds(30));
      assertThat(drained.isComplete()).isTrue();
    }
    assertThat(acks).allSatisfy(f -> assertThat(f).isCompleted());
    List<Order> read = LocalRead.orders(msk, "svc-orders", 200);
    assertThat(read).containsExactlyInAnyOrderElementsOf(sent);
    // Per order id, the events arrive in the order they were published.
    for (int id = 0; id < 20; id++) {
      String orderId = "o-" + id;
      assertThat(read.stream().filter(o -> o.orderId().equals(orderId)).map(Order::amountCents))
          .isSorted()
          .hasSize(10);
    }
  }

  @Test
  void aTopicThePolicyDoesNotAllow_failsEachPublish_withTheMissingAction() {
    LocalMskBroker msk = MSK.broker();
    msk.deny(msk.identity().name(), AclOperation.WRITE, new ResourcePattern(ResourceType.TOPIC, "svc-denied", PatternType.LITERAL));
    try (OrderEventsService service =
        OrderEventsService.fromEnvironment(
            environment("svc-denied"), b -> b.auth(MskAuth.iam(c -> c.credentialsProvider(msk.credentialsProvider()))))) {
      CompletableFuture<RecordMetadata> ack = service.publish(new Order("o-1", "c-1", 1, "EUR"));

      assertThat(ack)
          .failsWithin(30, TimeUnit.SECONDS)
          .withThrowableOfType(ExecutionException.class)
          .havingCause()
          .isInstanceOfSatisfying(
              MskAuthorizationException.class,
              e -> assertThat(e.missingAction()).isEqualTo(MskAuthorizationException.IamAction.WRITE_DATA));
    } finally {
      msk.clearAcls();
    }
  }

  @Test
  void main_publishesStandardInput_asDocumented_andExitsOneForAnInvalidLine() throws Exception {
    LocalMskBroker msk = MSK.broker();
    Path input = Files.createTempFile("orders", ".jsonl");
    Files.writeString(
        input,
        String.join(
            "\n",
            new Order("o-1", "c-1", 100, "EUR").toJson(),
            new Order("o-2", "c-2", 200, "USD").toJson(),
            "{\"orderId\":\"o-3\"}",
            new Order("o-4", "c-4", 400, "GBP").toJson()));
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("cli.jar"),
                OrderEventsService.class.getName())
            .redirectInput(input.toFile())
            .redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("MSK_"));
    pb.environment().putAll(environment("svc-main"));
    pb.environment().put("AWS_ACCESS_KEY_ID", msk.identity().accessKeyId());
    pb.environment().put("AWS_SECRET_ACCESS_KEY", msk.identity().secretAccessKey());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();

    assertThat(out).contains("acknowledged 3, failed 0, invalid 1").contains("skipped an input line: not a valid order").contains("customerId")
        .doesNotContain(msk.identity().secretAccessKey());
    assertThat(p.exitValue()).isEqualTo(1);
    assertThat(LocalRead.orders(msk, "svc-main", 3)).extracting(Order::orderId).containsExactly("o-1", "o-2", "o-4");
  }
}
