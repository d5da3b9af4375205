package io.github.mskproducer.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The README's "run the main job" command, as a new user runs it: the jar as a process, no
 * AWS credentials, no broker of its own: the quickstart starts the local broker in its JVM.
 */
class QuickstartIT {
  @Test
  void defaultRun_producesTenThousandRecords_andReadsThemAllBack_printingTheSummary() throws Exception {
    Cli.Run run = Cli.run(Map.of(), null, "quickstart");

    assertThat(run.exit()).as(run.out() + run.err()).isZero();
    assertThat(run.out())
        .contains("msk-producer quickstart: 10,000 records of 256 bytes to topic msk-producer-quickstart on the local broker")
        .contains("acknowledged  10,000")
        .contains("failed        0")
        .contains("pending       0")
        .contains("read back     10,000")
        .containsPattern("throughput +[0-9,]+ records/s")
        .containsPattern("ack latency +p50 [0-9.]+ ms, p99 [0-9.]+ ms")
        .endsWith("PASSED" + System.lineSeparator());
    assertThat(run.err()).contains("broker ready").contains("100% 10,000/10,000 acknowledged");
  }

  @Test
  void json_isOneObjectOnTheLastLine_withTheDocumentedFields() throws Exception {
    Cli.Run run = Cli.run(Map.of(), null, "quickstart", "--records", "2000", "--size", "1000", "--partitions", "2", "--json");

    assertThat(run.exit()).as(run.err()).isZero();
    JsonNode summary = new ObjectMapper().readTree(run.lastLine());
    assertThat(summary.get("passed").asBoolean()).isTrue();
    assertThat(summary.get("acknowledged").asLong()).isEqualTo(2000);
    assertThat(summary.get("failed").asLong()).isZero();
    assertThat(summary.get("readBack").asLong()).isEqualTo(2000);
    assertThat(summary.get("recordsPerSecond").asDouble()).isPositive();
    assertThat(summary.get("p50Ms").asDouble()).isPositive();
    assertThat(summary.get("p99Ms").asDouble()).isGreaterThanOrEqualTo(summary.get("p50Ms").asDouble());
    assertThat(run.out().strip().lines()).hasSize(1);
  }

  @Test
  void badOptions_exitTwo_namingTheOption() throws Exception {
    Cli.Run zero = Cli.run(Map.of(), null, "quickstart", "--records", "0");
    Cli.Run size = Cli.run(Map.of(), null, "quickstart", "--size", "2000000");
    Cli.Run unknown = Cli.run(Map.of(), null, "quickstart", "--recrods", "5");

    assertThat(zero.exit()).isEqualTo(2);
    assertThat(zero.err()).contains("--records must be 1 to 100,000,000, was 0");
    assertThat(size.exit()).isEqualTo(2);
    assertThat(size.err()).contains("--size must be 1 to 1,000,000 bytes");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).contains("Unknown options: '--recrods'").contains("Possible solutions:").contains("--records");
  }
}
