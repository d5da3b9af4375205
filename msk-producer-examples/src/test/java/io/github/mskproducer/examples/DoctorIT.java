package io.github.mskproducer.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.LocalMskBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The doctor as users run it: the command-line jar as a process, and the Lambda handler. */
class DoctorIT {
  @RegisterExtension
  static final LocalMskBrokerExtension MSK = LocalMskBrokerExtension.perClass(b -> b.topic("orders", 3));

  /** Standard output (the report) and standard error (logs, usage errors), apart. */
  private record Run(int exit, String out, String err) {}

  private static Run doctor(String secret, String... args) throws Exception {
    LocalMskBroker msk = MSK.broker();
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-jar");
    cmd.add(System.getProperty("cli.jar"));
    cmd.add("doctor");
    cmd.addAll(List.of(args));
    Path err = java.nio.file.Files.createTempFile("doctor", ".err");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(err.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("AWS_"));
    pb.environment().put("AWS_ACCESS_KEY_ID", msk.identity().accessKeyId());
    pb.environment().put("AWS_SECRET_ACCESS_KEY", secret);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String errors = java.nio.file.Files.readString(err);
    assertThat(out + errors).doesNotContain(msk.identity().secretAccessKey());
    return new Run(p.exitValue(), out, errors);
  }

  private static String[] target(String... more) {
    LocalMskBroker msk = MSK.broker();
    List<String> a =
        new ArrayList<>(
            List.of(
                "--bootstrap", msk.bootstrapServers(),
                "--region", msk.region(),
                "--truststore-pem", msk.truststorePem().toString()));
    a.addAll(List.of(more));
    return a.toArray(new String[0]);
  }

  @Test
  void healthy_exitsZero_withEveryCheckPassed() throws Exception {
    Run run = doctor(MSK.broker().identity().secretAccessKey(), target("--topic", "orders", "--test-write"));

    assertThat(run.exit()).as(run.out()).isZero();
    assertThat(run.out()).contains("PASSED").contains("[ OK ] idempotent-write").doesNotContain("[FAIL]");
  }

  @Test
  void wrongSecret_exitsOne_namingTheFailedCheck_asJsonToo() throws Exception {
    Run text = doctor("wrong-secret", target());
    Run json = doctor("wrong-secret", target("--json"));

    assertThat(text.exit()).isEqualTo(1);
    assertThat(text.out()).contains("[FAIL] authentication").contains("fix:").doesNotContain("wrong-secret");
    assertThat(json.exit()).isEqualTo(1);
    assertThat(json.out().trim())
        .startsWith("{\"passed\":false,")
        .contains("\"check\":\"authentication\",\"target\":\"INVALID_TOKEN\",\"status\":\"FAIL\"");
  }

  @Test
  void badOptions_exitTwo_namingThem() throws Exception {
    Run missing = doctor("x", "--region", "us-east-1");
    Run both = doctor("x", target("--profile", "dev", "--role-arn", "arn:aws:iam::123456789012:role/x"));
    Run writeWithoutTopic = doctor("x", target("--test-write"));

    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("--bootstrap");
    assertThat(both.exit()).isEqualTo(2);
    assertThat(both.err()).contains("mutually exclusive");
    assertThat(writeWithoutTopic.exit()).isEqualTo(2);
    assertThat(writeWithoutTopic.err()).contains("--test-write needs --topic");
  }

  @Test
  void lambdaHandler_returnsTheJsonReport() {
    LocalMskBroker msk = MSK.broker();
    try (LocalMskBroker.Restorable creds = msk.installCredentialsAsSystemProperties()) {
      String json =
          new DoctorHandler(
                  Map.of(
                      "MSK_BOOTSTRAP_SERVERS", msk.bootstrapServers(),
                      "AWS_REGION", msk.region(),
                      "MSK_TRUSTSTORE", msk.truststorePem().toString()))
              .handleRequest(Map.of("topic", "orders"), null);

      assertThat(json).startsWith("{\"passed\":true,").contains("\"check\":\"topic\",\"target\":\"orders\",\"status\":\"OK\"");
    }
  }
}
