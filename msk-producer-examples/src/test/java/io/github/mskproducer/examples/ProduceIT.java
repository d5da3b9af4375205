package io.github.mskproducer.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.LocalMskBrokerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code msk-producer produce} as a process against the local broker, credentials from AWS_*. */
class ProduceIT {
  @RegisterExtension
  static final LocalMskBrokerExtension MSK =
      LocalMskBrokerExtension.perClass(b -> b.topic("lines", 2).topic("generated", 3).topic("denied", 1));

  private static Map<String, String> credentials() {
    LocalMskBroker msk = MSK.broker();
    return Map.of(
        "AWS_ACCESS_KEY_ID", msk.identity().accessKeyId(),
        "AWS_SECRET_ACCESS_KEY", msk.identity().secretAccessKey());
  }

  private static Cli.Run produce(Path stdin, String... more) throws Exception {
    LocalMskBroker msk = MSK.broker();
    List<String> args =
        new ArrayList<>(
            List.of(
                "produce",
                "--bootstrap", msk.bootstrapServers(),
                "--region", msk.region(),
                "--truststore-pem", msk.truststorePem().toString()));
    args.addAll(List.of(more));
    return Cli.run(credentials(), stdin, args.toArray(new String[0]));
  }

  @Test
  void standardInput_linesBecomeRecords_keysSplitAtTheSeparator_andAreReadBack() throws Exception {
    Path input = Files.createTempFile("lines", ".txt");
    Files.writeString(input, "k1=first\nk2=second=with equals\nno key here\n\nk1=fourth\n");

    Cli.Run run = produce(input, "--topic", "lines", "--key-separator", "=", "--read-back");

    assertThat(run.exit()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("sent          5").contains("acknowledged  5").contains("read back     5").contains("PASSED");
    List<ConsumerRecord<String, String>> records = LocalRead.records(MSK.broker(), "lines", 5);
    assertThat(records).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("k1", "k2", null, null, "k1");
    assertThat(records)
        .extracting(ConsumerRecord::value)
        .containsExactlyInAnyOrder("first", "second=with equals", "no key here", "", "fourth");
  }

  @Test
  void generatedPayloads_atARate_summarizedAsJson() throws Exception {
    Cli.Run run = produce(null, "--topic", "generated", "--count", "3000", "--size", "512", "--rate", "3000", "--json");

    assertThat(run.exit()).as(run.err()).isZero();
    JsonNode summary = new ObjectMapper().readTree(run.lastLine());
    assertThat(summary.get("sent").asLong()).isEqualTo(3000);
    assertThat(summary.get("acknowledged").asLong()).isEqualTo(3000);
    assertThat(summary.get("failed").asLong()).isZero();
    assertThat(summary.get("readBack").isNull()).isTrue();
    assertThat(summary.get("p99Ms").asDouble()).isPositive();
    assertThat(LocalRead.records(MSK.broker(), "generated", 3000)).hasSize(3000).allSatisfy(r -> assertThat(r.value()).hasSize(512));
  }

  @Test
  void deniedWrites_exitOne_countingEveryFailure_withTheMissingAction() throws Exception {
    LocalMskBroker msk = MSK.broker();
    msk.deny(msk.identity().name(), AclOperation.WRITE, new ResourcePattern(ResourceType.TOPIC, "denied", PatternType.LITERAL));
    try {
      Cli.Run run = produce(null, "--topic", "denied", "--count", "20", "--json");

      assertThat(run.exit()).isEqualTo(1);
      JsonNode summary = new ObjectMapper().readTree(run.lastLine());
      assertThat(summary.get("passed").asBoolean()).isFalse();
      assertThat(summary.get("sent").asLong()).isEqualTo(20);
      assertThat(summary.get("failed").asLong()).isEqualTo(20);
      assertThat(summary.get("errors").get(0).asText()).contains("MskAuthorizationException").contains("kafka-cluster:WriteData");
    } finally {
      msk.clearAcls();
    }
  }

  @Test
  void aMissingTopic_failsInSeconds_sayingHowToCreateIt() throws Exception {
    Cli.Run run = produce(null, "--topic", "no-such-topic", "--count", "1");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("topic no-such-topic does not exist").contains("create it");
  }

  @Test
  void badOptions_exitTwo_namingThem() throws Exception {
    Cli.Run noBootstrap = Cli.run(credentials(), null, "produce", "--topic", "t", "--count", "1");
    Cli.Run noTopic = produce(null, "--count", "1");
    Cli.Run sizeWithoutCount = produce(null, "--topic", "lines", "--size", "10");
    Cli.Run negativeRate = produce(null, "--topic", "lines", "--count", "1", "--rate", "-1");

    assertThat(noBootstrap.exit()).isEqualTo(2);
    assertThat(noBootstrap.err()).contains("--bootstrap");
    assertThat(noTopic.exit()).isEqualTo(2);
    assertThat(noTopic.err()).contains("Missing required option: '--topic=TOPIC'");
    assertThat(sizeWithoutCount.exit()).isEqualTo(2);
    assertThat(sizeWithoutCount.err()).contains("--size needs --count");
    assertThat(negativeRate.exit()).isEqualTo(2);
    assertThat(negativeRate.err()).contains("--rate must be 0 (no limit) or more");
  }
}
