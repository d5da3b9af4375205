package io.github.mskproducer.lambda.freeze;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.LocalMskBrokerExtension;
import io.github.mskproducer.testkit.TestIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
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
  private static final int CYCLES = 20;
  private static final int RECORDS = 5;
  private static final Duration FREEZE = Duration.ofSeconds(5);
  private static final int CONTROL_CYCLES = 3;
  private static final int CONTROL_REQUEST_TIMEOUT_MS = 5000;
  private static final ObjectMapper JSON = new ObjectMapper();

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
  void module_survivesTwentyRealFreezes_everyRecordOnce_andTheFirstSendAfterEachThawIsQuick()
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

  /** Runs invocation 1, then {@code cycles} times: freeze, blackhole, thaw, next invocation. */
  private List<JsonNode> run(String mode, String topic, int cycles, String tag) throws Exception {
    LocalMskBroker msk = MSK.broker();
    TestIdentity id = msk.identity();
    Path log = Path.of("target", "freeze-" + mode + ".log");
    List<JsonNode> responses = new ArrayList<>();
    try (LocalRuntimeApi api = new LocalRuntimeApi()) {
      ProcessBuilder pb =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx256m",
                  "-XX:+UseSerialGC",
                  "-cp",
                  classPath(),
                  "com.amazonaws.services.lambda.runtime.api.client.AWSLambda",
                  FreezeHandler.class.getName() + "::handleRequest")
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      Map<String, String> env = pb.environment();
      env.keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("MSK_"));
      Map<String, String> lambda = new HashMap<>();
      lambda.put("AWS_LAMBDA_RUNTIME_API", api.address());
      lambda.put("AWS_LAMBDA_FUNCTION_NAME", "freeze-test");
      lambda.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
      lambda.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512");
      lambda.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/freeze-test");
      lambda.put("AWS_LAMBDA_LOG_STREAM_NAME", "local");
      lambda.put("AWS_REGION", msk.region());
      lambda.put("AWS_ACCESS_KEY_ID", id.accessKeyId());
      lambda.put("AWS_SECRET_ACCESS_KEY", id.secretAccessKey());
      lambda.put("MSK_BOOTSTRAP_SERVERS", msk.bootstrapServers());
      lambda.put("MSK_TRUSTSTORE", msk.truststorePem().toString());
      lambda.put("FREEZE_MODE", mode);
      lambda.put("FREEZE_TOPIC", topic);
      lambda.put("FREEZE_THAW_THRESHOLD_MS", "2000");
      lambda.put("CONTROL_REQUEST_TIMEOUT_MS", Integer.toString(CONTROL_REQUEST_TIMEOUT_MS));
      env.putAll(lambda);
      Process child = pb.start();
      try {
        for (int c = 1; c <= cycles + 1; c++) {
          String event = "{\"invocation\":\"" + c + "\",\"records\":\"" + RECORDS + "\"}";
          String response;
          try {
            response = api.invoke(event, Duration.ofSeconds(60)).get(180, TimeUnit.SECONDS);
          } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("no response to invocation " + c + "; the child's log:\n" + tail(log), e);
          }
          responses.add(JSON.readTree(response));
          if (c <= cycles) {
            signal(child, "STOP");
            msk.proxy(1).blackholeExisting();
            Thread.sleep(FREEZE.toMillis()); // the freeze itself: nothing to wait for
            signal(child, "CONT");
          }
        }
        if (mode.equals("module")) {
          child.destroy(); // SIGTERM, as Lambda sends at shutdown
          assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
          assertThat(Files.readString(log)).as("the shutdown hook ran").contains("msk-producer-shutdown");
        }
      } finally {
        child.destroyForcibly();
        child.waitFor(30, TimeUnit.SECONDS);
      }
      assertThat(api.initError).isNotDone();
    }
    assertThat(Files.readString(log)).doesNotContain(msk.identity().secretAccessKey());
    return responses;
  }

  private static void signal(Process p, String signal) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -" + signal).isTrue();
  }

  private static String classPath() {
    String surefire = System.getProperty("surefire.test.class.path");
    return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
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
