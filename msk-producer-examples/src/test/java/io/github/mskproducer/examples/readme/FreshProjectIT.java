package io.github.mskproducer.examples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a new user does: a fresh Maven project outside this repository with the README's POM
 * (a framework BOM that pins kafka-clients, then ours) and the README's handler and tests, built
 * with {@code mvn verify}. It runs a JUnit test on the local broker in its default mode (1,000
 * records through MskProducer, read back) and the Lambda handler's test (1,000 messages), with
 * the kafka-clients that Spring Boot's BOM picks, no Kafka override anywhere.
 *
 * <p>msk-producer's artifacts of this build are put into a local repository of this test's own,
 * chained to the machine's ({@code maven.repo.local.tail}), so nothing is installed anywhere
 * else; what Spring Boot's BOM asks for comes from Maven Central.
 */
class FreshProjectIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final String VERSION = System.getProperty("project.version", "0.1.0-SNAPSHOT");

  @TempDir Path work;

  @ParameterizedTest(name = "Spring Boot {0}")
  @ValueSource(strings = {"3.5.7", "4.0.7"})
  void theReadmesProject_buildsAndPasses_underTheFrameworksBom(String springBoot) throws Exception {
    Path repo = Path.of("target", "fresh-project-repo").toAbsolutePath();
    installThisBuild(repo);
    Path project = work.resolve("orders");
    Files.createDirectories(project.resolve("src/main/java"));
    Files.createDirectories(project.resolve("src/test/java"));
    Files.copy(Path.of("src/test/readme-project/pom.xml"), project.resolve("pom.xml"));
    Files.createDirectories(project.resolve("src/test/resources"));
    Files.copy(
        Path.of("src/test/readme-project/src/test/resources/logback-test.xml"),
        project.resolve("src/test/resources/logback-test.xml"));
    String readme = "src/test/java/io/github/mskproducer/examples/readme/";
    Files.writeString(project.resolve("src/main/java/OrdersHandler.java"), source(readme + "OrdersHandler.java"));
    Files.writeString(project.resolve("src/test/java/OrdersProducerTest.java"), source(readme + "OrdersProducerTest.java"));
    Files.writeString(project.resolve("src/test/java/OrdersHandlerIT.java"), source(readme + "OrdersHandlerIT.java"));
    // Its README part is a fragment: the whole file, in the default package.
    Files.writeString(
        project.resolve("src/test/java/ReadyAtStartTest.java"),
        Files.readString(Path.of(readme + "ReadyAtStartTest.java")).replaceFirst("package [\\w.]+;", ""));

    Path log = work.resolve("build.log");
    List<String> cmd = new ArrayList<>();
    cmd.add(ROOT.resolve("mvnw").toString());
    cmd.add("-B");
    cmd.add("-f");
    cmd.add(project.resolve("pom.xml").toString());
    cmd.add("-Dmaven.repo.local=" + repo);
    cmd.add("-Dmaven.repo.local.tail=" + System.getProperty("tail.repo", System.getProperty("user.home") + "/.m2/repository"));
    cmd.add("-Dspring-boot.version=" + springBoot);
    cmd.add("-Dmsk-producer.version=" + VERSION);
    cmd.add("org.apache.maven.plugins:maven-dependency-plugin:3.8.1:list");
    cmd.add("-DoutputFile=" + project.resolve("dependencies.txt"));
    cmd.add("verify");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(project.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process p = pb.start();
    boolean ended = p.waitFor(15, TimeUnit.MINUTES);
    String output = Files.readString(log, StandardCharsets.UTF_8);
    if (!ended) {
      p.destroyForcibly();
    }
    assertThat(ended).as("the build ended within 15 minutes").isTrue();
    assertThat(p.exitValue()).as("the fresh project's build:\n%s", tail(output)).isZero();

    String dependencies = Files.readString(project.resolve("dependencies.txt"), StandardCharsets.UTF_8);
    dependencies
        .lines()
        .filter(l -> l.contains("kafka-clients") || l.contains("junit-jupiter-api"))
        .forEach(l -> System.out.println("Spring Boot " + springBoot + ": " + l.trim()));
    assertThat(dependencies)
        .as("Spring Boot's BOM picks kafka-clients, not msk-producer")
        .containsPattern("org.apache.kafka:kafka-clients:jar:\\d+\\.\\d+\\.\\d+")
        .doesNotContain("org.apache.kafka:kafka-clients:jar:4.4.0")
        .doesNotContain("kafka_2.13");
    assertThat(output)
        .contains("Tests run: 1, Failures: 0, Errors: 0, Skipped: 0, Time elapsed")
        .containsPattern("Tests run: 1, Failures: 0, Errors: 0, Skipped: 0[^\\n]*OrdersProducerTest")
        .containsPattern("Tests run: 1, Failures: 0, Errors: 0, Skipped: 0[^\\n]*OrdersHandlerIT")
        .containsPattern("Tests run: 1, Failures: 0, Errors: 0, Skipped: 0[^\\n]*ReadyAtStartTest")
        .doesNotContain("NoClassDefFoundError")
        .contains("BUILD SUCCESS");
    // Quiet with the README's logging file: no Kafka line below WARN from the tests' JVMs.
    assertThat(output).doesNotContainPattern("(DEBUG|INFO) +o(rg)?\\.a(pache)?\\.k");
  }

  /** The README's code of a file: its region, without this repository's package line. */
  private static String source(String path) throws IOException {
    return ReadmeSnippetsTest.region(Path.of(path)) + "\n";
  }

  /**
   * Puts this build's artifacts (parent, BOM, testkit, core, lambda) into the
   * repository as {@code mvn install} would lay them out.
   */
  private static synchronized void installThisBuild(Path repo) throws IOException {
    install(repo, "msk-producer-parent", ROOT.resolve("pom.xml"), null);
    install(repo, "msk-producer-bom", ROOT.resolve("msk-producer-bom/pom.xml"), null);
    for (String module :
        new String[] {
          "msk-producer-testkit", "msk-producer-core", "msk-producer-lambda"
        }) {
      Path jar = ROOT.resolve(module).resolve("target").resolve(module + "-" + VERSION + ".jar");
      assertThat(jar).as("%s packaged before this test", module).exists();
      install(repo, module, ROOT.resolve(module).resolve("pom.xml"), jar);
    }
  }

  private static void install(Path repo, String artifactId, Path pom, Path jar) throws IOException {
    Path dir = repo.resolve("io/github/mskproducer").resolve(artifactId).resolve(VERSION);
    Files.createDirectories(dir);
    Files.copy(pom, dir.resolve(artifactId + "-" + VERSION + ".pom"), StandardCopyOption.REPLACE_EXISTING);
    if (jar != null) {
      Files.copy(jar, dir.resolve(artifactId + "-" + VERSION + ".jar"), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static String tail(String output) {
    String[] lines = output.split("\n");
    StringBuilder sb = new StringBuilder();
    for (int i = Math.max(0, lines.length - 80); i < lines.length; i++) {
      sb.append(lines[i]).append('\n');
    }
    return sb.toString();
  }
}
