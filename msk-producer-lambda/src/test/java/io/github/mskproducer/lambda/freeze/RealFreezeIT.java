package io.github.mskproducer.lambda.freeze;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.LocalMskBrokerExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The acceptance test of the Lambda module: a real freeze. A child JVM runs {@link
 * FreezeHandler} through the Lambda runtime interface client, against a local Runtime API, and
 * produces to the local broker through proxies. Between invocations the test freezes the child
 * with SIGSTOP for longer than the broker's idle-connection timeout (3 s) and the token
 * lifetime (4 s), while the proxies silently drop every established connection, as NAT gateways
 * and NLBs do after 350 idle seconds (F4, F5, F6, F7); then SIGCONT, and the next invocation.
 */
class RealFreezeIT {
  /** 20; CI's run with another kafka-clients sets 5 ({@code -Drealfreeze.cycles}). */
  private static final int CYCLES = Integer.getInteger("realfreeze.cycles", 20);
  private static final int RECORDS = 5;
  private static final Duration FREEZE = Duration.ofSeconds(5);
  private static final int CONTROL_CYCLES = 3;
  private static final int CONTROL_REQUEST_TIMEOUT_MS = 5000;

  @RegisterExtension
  static final LocalMskBrokerExtension MSK =
      LocalMskBrokerExtension.perClass(
          b ->
              b.proxied(true)
                  .connectionsMaxIdle(Duration.ofSeconds(3))
                  .maxTokenLifetime(Duration.ofSeconds(4))
                  .topic("freeze", 1)
                  .topic("freeze-control", 1));

  @Test
  void module_survivesRealFreezes_everyRecordOnce_andTheFirstSendAfterEachThawIsQuick()
      throws Exception {
    LocalMskBroker msk = MSK.broker();
    List<JsonNode> responses = run("module", "freeze", CYCLES, "m");

    List<Long> afterThaw = new ArrayList<>();
    for (int i = 0; i < responses.size(); i++) {
      JsonNode r = responses.get(i);
      assertThat(r.get("acknowledged").asInt()).as("invocation %d: %s", i + 1, r).isEqualTo(RECORDS);
      assertThat(r.get("failed").asInt()).isZero();
      assertThat(r.get("pending").asInt()).isZero();
      if (i > 0) {
        assertThat(r.get("recycled").asText()).as("invocation %d after a freeze", i + 1).isEqualTo("THAW");
        afterThaw.add(r.get("firstAckMs").asLong());
      }
    }
    List<String> values = readValues(msk, "freeze", (CYCLES + 1) * RECORDS);
    assertThat(values).hasSize((CYCLES + 1) * RECORDS).doesNotHaveDuplicates();
    for (int c = 1; c <= CYCLES + 1; c++) {
      for (int i = 0; i < RECORDS; i++) {
        assertThat(values).contains("m-" + c + "-" + i);
      }
    }
    Collections.sort(afterThaw);
    long p50 = afterThaw.get(afterThaw.size() / 2);
    long p99 = afterThaw.get(Math.min(afterThaw.size() - 1, (int) Math.ceil(afterThaw.size() * 0.99) - 1));
    System.out.printf(
        "REAL-FREEZE msk-producer-lambda: first send acknowledged after each thaw: p50=%d ms,"
            + " p99=%d ms, max=%d ms (n=%d, freezes of %d s, connections blackholed)%n",
        p50, p99, afterThaw.get(afterThaw.size() - 1), afterThaw.size(), FREEZE.toSeconds());
    // Not a speed target: the property is that no send sat out a request timeout on a dead socket.
    assertThat(p99).isLessThan(CONTROL_REQUEST_TIMEOUT_MS);
  }

  @Test
  void control_aPlainKafkaProducerReused_sitsOutTheRequestTimeoutOnTheDeadSocket() throws Exception {
    List<JsonNode> responses = run("control", "freeze-control", CONTROL_CYCLES, "c");

    List<Long> afterThaw = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (int i = 1; i < responses.size(); i++) {
      afterThaw.add(responses.get(i).get("firstAckMs").asLong());
      if (responses.get(i).has("error")) {
        errors.add(responses.get(i).get("error").asText());
      }
    }
    Collections.sort(afterThaw);
    System.out.printf(
        "REAL-FREEZE control (plain KafkaProducer + aws-msk-iam-auth, request.timeout.ms=%d):"
            + " first send after each thaw: %s ms; errors: %s%n",
        CONTROL_REQUEST_TIMEOUT_MS, afterThaw, errors);
    assertThat(afterThaw.get(afterThaw.size() / 2))
        .as("the reused producer waits out at least one request timeout on the dead connection")
        .isGreaterThanOrEqualTo(CONTROL_REQUEST_TIMEOUT_MS);
  }

  /** Runs the harness; checks what every run must show. */
  private List<JsonNode> run(String mode, String topic, int cycles, String tag) throws Exception {
    LocalMskBroker msk = MSK.broker();
    FreezeRun.Result r =
        FreezeRun.run(
            msk, mode, topic, cycles, RECORDS, FREEZE, CONTROL_REQUEST_TIMEOUT_MS, classPath(),
            Path.of("target", "freeze-" + mode + ".log"));
    assertThat(r.initError()).isFalse();
    if (mode.equals("module")) {
      assertThat(r.log()).as("the shutdown hook ran").contains("msk-producer-shutdown");
    }
    assertThat(r.log()).doesNotContain(msk.identity().secretAccessKey());
    return r.responses();
  }

  private static String classPath() {
    String surefire = System.getProperty("surefire.test.class.path");
    return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
  }

  private static List<String> readValues(LocalMskBroker msk, String topic, int count) {
    Properties p = msk.adminProperties();
    p.put("key.deserializer", StringDeserializer.class.getName());
    p.put("value.deserializer", StringDeserializer.class.getName());
    p.put("group.id", "freeze-reader-" + System.nanoTime());
    p.put("auto.offset.reset", "earliest");
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (values.size() < count && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          values.add(r.value());
        }
      }
      for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(1000))) {
        values.add(r.value()); // any duplicate beyond the expected count
      }
    }
    return values;
  }
}
