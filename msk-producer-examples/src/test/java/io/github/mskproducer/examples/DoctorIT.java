package io.github.mskproducer.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.LocalMskBrokerExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The doctor as users run it: the command-line jar as a process, and the Lambda handler. */
class DoctorIT {
  @RegisterExtension
  static final LocalMskBrokerExtension MSK = LocalMskBrokerExtension.perClass(b -> b.topic("orders", 3));

  private static Cli.Run doctor(String secret, String... args) throws Exception {
    LocalMskBroker msk = MSK.broker();
    List<String> all = new ArrayList<>(List.of("doctor"));
    all.addAll(List.of(args));
    return Cli.run(
        Map.of("AWS_ACCESS_KEY_ID", msk.identity().accessKeyId(), "AWS_SECRET_ACCESS_KEY", secret),
        null,
        all.toArray(new String[0]));
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
    Cli.Run run = doctor(MSK.broker().identity().secretAccessKey(), target("--topic", "orders", "--test-write"));

    assertThat(run.exit()).as(run.out()).isZero();
    assertThat(run.out()).contains("PASSED").contains("[ OK ] idempotent-write").doesNotContain("[FAIL]");
  }

  @Test
  void wrongSecret_exitsOne_namingTheFailedCheck_asJsonToo() throws Exception {
    Cli.Run text = doctor("wrong-secret", target());
    Cli.Run json = doctor("wrong-secret", target("--json"));

    assertThat(text.exit()).isEqualTo(1);
    assertThat(text.out()).contains("[FAIL] authentication").contains("fix:").doesNotContain("wrong-secret");
    assertThat(json.exit()).isEqualTo(1);
    assertThat(json.out().trim())
        .startsWith("{\"passed\":false,")
        .contains("\"check\":\"authentication\",\"target\":\"INVALID_TOKEN\",\"status\":\"FAIL\"");
  }

  @Test
  void badOptions_exitTwo_namingThem() throws Exception {
    Cli.Run missing = doctor("x", "--region", "us-east-1");
    Cli.Run both = doctor("x", target("--profile", "dev", "--role-arn", "arn:aws:iam::123456789012:role/x"));
    Cli.Run writeWithoutTopic = doctor("x", target("--test-write"));

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
