package io.github.mskproducer.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standalone launcher, run as a real process: java -jar ...-standalone.jar. */
class LauncherIT {
  @TempDir Path dir;

  private static Path jar() {
    Path jar = Path.of(System.getProperty("standalone.jar", "target/missing-standalone.jar"));
    assertThat(jar).as("the standalone jar (built in the package phase)").exists();
    return jar;
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  @Test
  void launcher_printsFacts_servesClients_andStopsCleanlyOnSigterm() throws Exception {
    Path factsFile = dir.resolve("out/facts.properties");
    Path stderr = dir.resolve("stderr.log");
    Process process =
        new ProcessBuilder(
                java(), "-jar", jar().toString(),
                "--topic", "launched:2",
                "--properties-out", factsFile.toString())
            .redirectError(stderr.toFile())
            .start();
    try {
      List<String> lines = new ArrayList<>();
      BufferedReader reader =
          new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      CompletableFuture<Void> readyLine =
          CompletableFuture.runAsync(
              () -> {
                try {
                  for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    if (line.equals("ready")) {
                      return;
                    }
                    lines.add(line);
                  }
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
                throw new IllegalStateException("launcher ended before 'ready'");
              });
      readyLine.get(180, TimeUnit.SECONDS);

      Map<String, String> facts = new LinkedHashMap<>();
      for (String line : lines) {
        int eq = line.indexOf('=');
        assertThat(eq).as("key=value line: %s", line).isPositive();
        facts.put(line.substring(0, eq), line.substring(eq + 1));
      }
      assertThat(facts)
          .containsKeys(
              "bootstrap",
              "region",
              "aws_access_key_id",
              "aws_secret_access_key",
              "truststore_pem",
              "truststore_p12",
              "truststore_password");
      assertThat(Files.readAllLines(factsFile)).containsExactlyElementsOf(lines);

      Properties client = iamClient(facts);
      TestIdentity identity = identity(facts);
      try (LocalMskBroker.Restorable creds = KafkaClients.systemCredentials(identity, facts.get("region"));
          KafkaProducer<String, String> producer = KafkaClients.producer(client)) {
        assertThat(producer.partitionsFor("launched")).hasSize(2);
        producer.send(new ProducerRecord<>("launched", "hello")).get(30, TimeUnit.SECONDS);
      }

      process.destroy(); // SIGTERM
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
      assertThat(process.exitValue()).as("128 + SIGTERM, as the JVM exits on it").isEqualTo(143);
      assertThat(Files.readString(stderr)).contains("local-msk: stopped").doesNotContain("Exception");
      assertThat(Path.of(facts.get("data_dir"))).doesNotExist();
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void badOption_exitsNonZero_andNamesTheOption() throws Exception {
    Process process =
        new ProcessBuilder(java(), "-jar", jar().toString(), "--port", "abc")
            .redirectErrorStream(true)
            .start();
    String output = outputOf(process, 60);

    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(output).contains("--port").contains("abc");
  }

  @Test
  void proxiedLauncher_takesFaultCommandsOnStandardInput_andSetsTheIdleTimeout() throws Exception {
    Process process =
        new ProcessBuilder(
                java(), "-jar", jar().toString(),
                "--topic", "faults:1",
                "--proxied",
                "--connections-max-idle-ms", "3000")
            .redirectError(dir.resolve("stderr.log").toFile())
            .start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      java.io.Writer in =
          new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      Map<String, String> facts = new LinkedHashMap<>();
      CompletableFuture.runAsync(
              () -> {
                try {
                  for (String line = out.readLine(); !"ready".equals(line); line = out.readLine()) {
                    if (line == null) {
                      throw new IllegalStateException("launcher ended before 'ready'");
                    }
                    facts.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
                  }
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              })
          .get(180, TimeUnit.SECONDS);
      java.util.function.Function<String, String> command =
          c -> {
            try {
              in.write(c + "\n");
              in.flush();
              return CompletableFuture.supplyAsync(
                      () -> {
                        try {
                          return out.readLine();
                        } catch (java.io.IOException e) {
                          throw new java.io.UncheckedIOException(e);
                        }
                      })
                  .get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          };

      String port = facts.get("bootstrap").substring(facts.get("bootstrap").lastIndexOf(':') + 1);
      assertThat(command.apply("status"))
          .startsWith("ok status node=1,port=" + port + ",open=0,silenced=0,accepted=0");

      Properties client = iamClient(facts);
      TestIdentity identity = identity(facts);
      try (LocalMskBroker.Restorable creds = KafkaClients.systemCredentials(identity, facts.get("region"));
          KafkaProducer<String, String> producer = KafkaClients.producer(client)) {
        producer.send(new ProducerRecord<>("faults", "before")).get(30, TimeUnit.SECONDS);
        int acceptedBefore = accepted(command.apply("status"));
        assertThat(acceptedBefore).as("the client came through the proxy").isPositive();

        assertThat(command.apply("reset all")).isEqualTo("ok reset all");
        producer.send(new ProducerRecord<>("faults", "after reset")).get(30, TimeUnit.SECONDS);
        assertThat(accepted(command.apply("status")))
            .as("the reset connection was replaced by a new one, through the proxy")
            .isGreaterThan(acceptedBefore);
      }

      assertThat(command.apply("delay 1 200")).isEqualTo("ok delay 1 200");
      assertThat(command.apply("refuse all on")).isEqualTo("ok refuse all on");
      assertThat(command.apply("status")).contains("delay=200,refuse=true");
      assertThat(command.apply("heal all")).isEqualTo("ok heal all");
      assertThat(command.apply("status")).contains("delay=0,refuse=false");
      assertThat(command.apply("blackhole 1")).isEqualTo("ok blackhole 1");
      assertThat(command.apply("status")).containsPattern("open=(\\d+),silenced=\\1,");
      assertThat(command.apply("delay 7 1")).startsWith("error NODE must be one of [1] or all");
      assertThat(command.apply("teleport 1")).startsWith("error unknown command 'teleport'");

      Properties admin = new Properties();
      admin.setProperty("bootstrap.servers", facts.get("admin_bootstrap"));
      try (org.apache.kafka.clients.admin.Admin a = org.apache.kafka.clients.admin.Admin.create(admin)) {
        org.apache.kafka.common.config.ConfigResource node1 =
            new org.apache.kafka.common.config.ConfigResource(
                org.apache.kafka.common.config.ConfigResource.Type.BROKER, "1");
        assertThat(
                a.describeConfigs(List.of(node1))
                    .all()
                    .get(30, TimeUnit.SECONDS)
                    .get(node1)
                    .get("connections.max.idle.ms")
                    .value())
            .isEqualTo("3000");
      }
    } finally {
      process.destroy();
      process.waitFor(60, TimeUnit.SECONDS);
      process.destroyForcibly();
    }
  }

  @Test
  void theReadmesShellExample_runs() throws Exception {
    Path script = Path.of("src/test/resources/readme/faults.sh").toAbsolutePath();
    Process process =
        new ProcessBuilder("bash", script.toString(), jar().toString())
            .redirectErrorStream(true)
            .start();
    String output = outputOf(process, 180);
    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output).containsPattern("broker at localhost:\\d+").contains("ok blackhole all");
  }

  /** A client of the launcher's IAM listener, from its facts, with aws-msk-iam-auth. */
  private static Properties iamClient(Map<String, String> facts) {
    Properties client = new Properties();
    client.setProperty("bootstrap.servers", facts.get("bootstrap"));
    client.setProperty("security.protocol", "SASL_SSL");
    client.setProperty("ssl.truststore.type", "PKCS12");
    client.setProperty("ssl.truststore.location", facts.get("truststore_p12"));
    client.setProperty("ssl.truststore.password", facts.get("truststore_password"));
    client.setProperty("sasl.mechanism", "OAUTHBEARER");
    client.setProperty(
        "sasl.jaas.config",
        "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;");
    client.setProperty(
        "sasl.login.callback.handler.class",
        "software.amazon.msk.auth.iam.IAMOAuthBearerLoginCallbackHandler");
    client.setProperty(
        "sasl.client.callback.handler.class",
        "software.amazon.msk.auth.iam.IAMOAuthBearerLoginCallbackHandler");
    return client;
  }

  private static TestIdentity identity(Map<String, String> facts) {
    return TestIdentity.of(
        facts.get("identity"), facts.get("aws_access_key_id"), facts.get("aws_secret_access_key"));
  }

  /** The process's output once it ended; fails (and kills it) if it runs longer. */
  private static String outputOf(Process process, int seconds) throws Exception {
    CompletableFuture<String> output =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    boolean ended = process.waitFor(seconds, TimeUnit.SECONDS);
    if (!ended) {
      process.destroyForcibly();
    }
    String text = output.get(30, TimeUnit.SECONDS);
    assertThat(ended).as("ended within %d s: %s", seconds, text).isTrue();
    return text;
  }

  private static int accepted(String status) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("accepted=(\\d+)").matcher(status);
    assertThat(m.find()).as(status).isTrue();
    return Integer.parseInt(m.group(1));
  }
}
