package io.github.mskproducer.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The suite's smoke mode, run as a user runs the suite ({@code java -jar}), so that the
 * benchmarks never rot. Asserts that every benchmark ran and reported both sides, and that no
 * secret reached any output; never anything about speed.
 */
class BenchmarkSuiteSmokeIT {
  private static final Path JAR = Path.of(System.getProperty("benchmarks.jar", "target/msk-producer-benchmarks.jar"));
  private static final Path EXAMPLE = Path.of(System.getProperty("examples.lambda.jar", "../msk-producer-examples/target/msk-producer-lambda-example.jar"));

  private record Run(int exit, String output) {}

  private static Run run(Path dir, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
    command.addAll(List.of(args));
    Files.createDirectories(dir);
    Path console = dir.resolve("console.txt");
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(console.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("MSK_"));
    Process p = pb.start();
    if (!p.waitFor(15, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("the suite did not finish in 15 minutes:\n" + Files.readString(console));
    }
    return new Run(p.exitValue(), Files.readString(console));
  }

  @Test
  void smokeRun_writesEveryTableWithBothSides_andNoSecret() throws Exception {
    Path dir = Path.of("target", "smoke");
    Path work = dir.resolve("work");
    Run r = run(dir, "--smoke", "--out", dir.toString(), "--work", work.toString(), "--example-jar", EXAMPLE.toString());
    assertThat(r.exit()).as(r.output()).isZero();

    String md = Files.readString(dir.resolve("benchmarks.md"));
    assertThat(md)
        .contains("Smoke run")
        .contains("- Command: `java -jar msk-producer-benchmarks/target/msk-producer-benchmarks.jar --smoke")
        .contains("- Machine: ")
        .contains("## 1. Throughput")
        .contains("## 2. Send path (JMH)")
        .contains("## 3a. Token generation, cold")
        .contains("## 3b. Token generation, warm (JMH)")
        .contains("## 4. Cold start")
        .contains("## 5. Recovery after a Lambda freeze")
        .contains("## 6. Per-invocation cost in Lambda mode")
        .contains("## 7. Footprint")
        .contains("## 8. build(): how long it holds the caller")
        .contains("## 9. Scaling: sender threads, partitions, records in flight")
        .contains("## 4b. Cold start on JDK 25")
        .contains("## 5b. Reconnect after the broker closed the connections during a short freeze")
        .doesNotContain("## Failed in this run")
        .doesNotContain("NaN");
    for (String row : List.of("| 100 B |", "| 1024 B |", "| 10240 B |", "| hand-wired |", "| msk-producer |", "| msk-producer-lambda |", "| msk-producer-lambda, primed |", "| plain reused producer |", "| hand-wired (aws-msk-iam-auth) |")) {
      assertThat(md).as("a row %s", row).contains(row);
    }

    JsonNode json = new ObjectMapper().readTree(dir.resolve("benchmarks.json").toFile());
    assertThat(json.get("smoke").asBoolean()).isTrue();
    assertThat(json.get("failures")).isEmpty();
    List<String> ids = new ArrayList<>();
    json.get("benchmarks").forEach(b -> ids.add(b.get("id").asText()));
    assertThat(ids)
        .containsExactlyInAnyOrder(
            "footprint", "throughput", "scaling", "send-path", "token-cold", "token-warm", "cold-start", "aot-cache", "invocation-flush", "freeze-recovery", "reconnect", "build");
    for (JsonNode b : json.get("benchmarks")) {
      if (b.has("results") && b.get("results").isArray()) {
        for (JsonNode result : b.get("results")) {
          assertThat(result.get("ratio").asDouble()).as("%s: %s", b.get("id"), result).isPositive();
        }
      }
    }
    JsonNode throughput = find(json, "throughput");
    assertThat(throughput.get("results")).hasSize(3);
    assertThat(throughput.get("results").get(0).get("handWiredRecordsPerSecond").get("median").asDouble()).isPositive();
    assertThat(find(json, "cold-start").get("modes").size()).isEqualTo(4);
    JsonNode reconnect = find(json, "reconnect").get("results");
    assertThat(reconnect.get("module").get("invocationsWithFailures").asInt()).isZero();
    assertThat(reconnect.get("refused").get("lambda").get("attempts").asInt()).isPositive();
    JsonNode scaling = find(json, "scaling").get("results");
    assertThat(scaling.get("threads")).hasSize(3);
    assertThat(scaling.get("partitions")).hasSize(3);
    assertThat(scaling.get("heap")).hasSize(2);
    scaling.get("threads").forEach(t -> assertThat(t.get("pairedRatio").get("median").asDouble()).as("%s", t).isPositive());
    assertThat(find(json, "freeze-recovery").get("results").get("mskProducerLambda").get("invocationsWithFailures").asInt()).isZero();
    assertThat(find(json, "build").get("results").get("hanging credentials provider").get("median").asDouble()).isPositive();
    assertThat(find(json, "footprint").get("packages").get("example").get("bytes").asLong()).isPositive();

    // The test identity's secret key (in the suite's 0600 file for JMH's forks) is in no output.
    Properties target = new Properties();
    try (Reader in = Files.newBufferedReader(work.resolve("target.properties"))) {
      target.load(in);
    }
    String secret = target.getProperty("secretAccessKey");
    assertThat(secret).isNotBlank();
    assertThat(r.output()).doesNotContain(secret);
    assertThat(md).doesNotContain(secret);
    assertThat(Files.readString(dir.resolve("benchmarks.json"))).doesNotContain(secret);
    try (Stream<Path> logs = Files.list(work)) {
      for (Path log : logs.filter(p -> p.toString().endsWith(".log")).toList()) {
        assertThat(new String(Files.readAllBytes(log), StandardCharsets.UTF_8)).as("%s", log).doesNotContain(secret);
      }
    }
  }

  @Test
  void anUnknownBenchmark_isRefusedNamingTheOption_beforeAnythingStarts() throws Exception {
    Run r = run(Path.of("target", "smoke-bad"), "--only", "throughput,nope");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.output()).contains("--only").contains("'nope'").contains("cold-start");
  }

  private static JsonNode find(JsonNode json, String id) throws IOException {
    for (JsonNode b : json.get("benchmarks")) {
      if (b.get("id").asText().equals(id)) {
        return b;
      }
    }
    throw new IOException("no benchmark " + id);
  }
}
