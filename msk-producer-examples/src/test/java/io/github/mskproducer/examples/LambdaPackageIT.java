package io.github.mskproducer.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.LocalMskBrokerExtension;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The deployment package of the Lambda example, as the template deploys it: the jar alone on
 * the classpath, the handler the template names, the environment variables the template sets
 * (resolved to the local broker) plus those Lambda sets, SnapStart's hooks, then an SQS batch.
 */
class LambdaPackageIT {
  @RegisterExtension
  static final LocalMskBrokerExtension MSK = LocalMskBrokerExtension.perClass(b -> b.topic("orders-pkg", 3));

  @Test
  void theJar_holdsTheFunction_andNotTheBrokerOrTheCommandLine() throws Exception {
    Path jar = Path.of(System.getProperty("lambda.jar"));
    try (JarFile j = new JarFile(jar.toFile())) {
      assertThat(j.getEntry("io/github/mskproducer/examples/SnapStartOrdersHandler.class")).isNotNull();
      assertThat(j.getEntry("io/github/mskproducer/lambda/LambdaProducer.class")).isNotNull();
      assertThat(j.getEntry("org/apache/kafka/clients/producer/KafkaProducer.class")).isNotNull();
      assertThat(j.getEntry("kafka/server/KafkaRaftServer.class")).as("no broker").isNull();
      assertThat(j.getEntry("io/github/mskproducer/testkit/LocalMskBroker.class")).as("no testkit").isNull();
      assertThat(j.getEntry("picocli/CommandLine.class")).as("no CLI").isNull();
      assertThat(j.getEntry("scala/Predef.class")).as("no Scala").isNull();
    }
    // Lambda's limit is 250 MB unzipped; the zip must be far below it.
    assertThat(Files.size(jar)).isLessThan(50L * 1024 * 1024);
  }

  @Test
  void theTemplatesFunction_runsFromTheJarAlone_withTheTemplatesEnvironment() throws Exception {
    LocalMskBroker msk = MSK.broker();
    JsonNode function =
        new ObjectMapper(new YAMLFactory())
            .readTree(Path.of(System.getProperty("sam.template")).toFile())
            .at("/Resources/OrdersFunction/Properties");
    Map<String, String> parameters =
        Map.of("BootstrapBrokers", msk.bootstrapServers(), "TopicName", "orders-pkg");
    Map<String, String> env = new HashMap<>();
    function
        .at("/Environment/Variables")
        .properties()
        .forEach(
            e ->
                env.put(
                    e.getKey(),
                    e.getValue().has("Ref")
                        ? parameters.get(e.getValue().get("Ref").asText())
                        : e.getValue().asText())); // a literal, e.g. MSK_LAMBDA_THAW_THRESHOLD_MS
    // What Lambda adds: region, the role's credentials, the function's name.
    env.put("AWS_REGION", msk.region());
    env.put("AWS_ACCESS_KEY_ID", msk.identity().accessKeyId());
    env.put("AWS_SECRET_ACCESS_KEY", msk.identity().secretAccessKey());
    env.put("AWS_LAMBDA_FUNCTION_NAME", "orders");
    // Only because the local broker's certificate is self-signed (MSK's chains to a public CA).
    env.put("MSK_TRUSTSTORE", msk.truststorePem().toString());

    Path input = Files.createTempFile("sqs", ".tsv");
    Files.writeString(input, "m1\t" + Sqs.order("o-1", 100) + "\nm2\tnot an order\nm3\t" + Sqs.order("o-2", 200) + "\n");
    String handler = function.get("Handler").asText().split("::")[0];
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                // The package, the harness, and the testkit's TestLambdaContext (test code, as the
                // Lambda runtime is: neither is in the package).
                System.getProperty("lambda.jar")
                    + File.pathSeparator
                    + Path.of("target", "test-classes").toAbsolutePath()
                    + File.pathSeparator
                    + Path.of(
                        io.github.mskproducer.testkit.TestLambdaContext.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI()),
                LambdaJarHarness.class.getName(),
                handler,
                "snapstart")
            .redirectInput(input.toFile())
            .redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("MSK_"));
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();

    assertThat(out).contains("RESTORED").contains("FAILED m2").doesNotContain("FAILED m1").doesNotContain("FAILED m3").contains("DONE")
        .doesNotContain("ClassNotFound").doesNotContain("NoClassDefFound").doesNotContain(msk.identity().secretAccessKey());
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(LocalRead.orders(msk, "orders-pkg", 2)).extracting(Order::orderId).containsExactlyInAnyOrder("o-1", "o-2");
  }
}
