package io.github.mskproducer.examples.spring;

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
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A new Spring Boot service as the README shows it, outside this repository: its POM (OpenTelemetry's,
 * Spring Boot's and our BOM; the starter, Micrometer, OpenTelemetry, web and Actuator), the
 * example's {@code application.yml} and controller, a test of the whole service against the
 * local broker and a {@code @SpringBootTest} of the producer and {@code KafkaTemplate}, built with {@code mvn verify} under Spring Boot 4.0 and 4.1, with the
 * kafka-clients each picks.
 */
class FreshSpringProjectIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final String VERSION = System.getProperty("project.version", "0.1.0-SNAPSHOT");
  private static final String[] MODULES = {
    "msk-producer-testkit",
    "msk-producer-core",
    "msk-producer-lambda",
    "msk-producer-micrometer",
    "msk-producer-opentelemetry",
    "msk-producer-spring-boot-starter"
  };

  @TempDir Path work;

  @ParameterizedTest(name = "Spring Boot {0} {2}")
  @CsvSource({
    "4.0.7,,with its BOM",
    // As the README says for spring-boot-starter-parent: no BOM import of Spring Boot, no
    // plugin versions, but the failsafe plugin declared (the parent configures, not binds, it).
    "4.0.7,,with its parent",
    // On this machine's mirror of Maven Central, Boot 4.1.2's own Netty and Kafka are missing:
    // the versions the registry has instead (a user elsewhere needs neither).
    "4.1.2,-Dnetty.version=4.2.18.Final -Dkafka.version=4.3.1,with its BOM"
  })
  void theReadmesSpringProject_buildsAndPasses(String springBoot, String extra, String how) throws Exception {
    Path repo = Path.of("target", "fresh-project-repo").toAbsolutePath();
    installThisBuild(repo);
    Path fresh = Path.of("src/test/fresh-project");
    Path project = work.resolve("shop");
    Files.createDirectories(project.resolve("src/main/java/shop"));
    Files.createDirectories(project.resolve("src/main/resources"));
    Files.createDirectories(project.resolve("src/test/java/shop"));
    String pom = Files.readString(fresh.resolve("pom.xml"), StandardCharsets.UTF_8);
    Files.writeString(project.resolve("pom.xml"), how.endsWith("parent") ? onBootsParent(pom, springBoot) : pom);
    Files.copy(
        fresh.resolve("src/main/java/shop/ShopApplication.java"),
        project.resolve("src/main/java/shop/ShopApplication.java"));
    Files.writeString(
        project.resolve("src/main/java/shop/OrdersController.java"),
        "package shop;\n\n"
            + region(Path.of("src/main/java/io/github/mskproducer/examples/spring/OrdersController.java")));
    Files.writeString(
        project.resolve("src/main/resources/application.yml"),
        region(Path.of("src/main/resources/application.yml")));
    for (String test : new String[] {"ShopIT.java", "OrdersTemplateIT.java"}) {
      Files.copy(fresh.resolve("src/test/java/shop").resolve(test), project.resolve("src/test/java/shop").resolve(test));
    }

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
    if (extra != null && !extra.isBlank()) {
      cmd.addAll(List.of(extra.trim().split(" ")));
    }
    cmd.add("org.apache.maven.plugins:maven-dependency-plugin:3.8.1:list");
    cmd.add("-DoutputFile=" + project.resolve("dependencies.txt"));
    cmd.add("verify");
    ProcessBuilder pb =
        new ProcessBuilder(cmd).directory(project.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
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
        .filter(l -> l.contains("kafka-clients") || l.contains("spring-boot:jar") || l.contains("opentelemetry-api"))
        .forEach(l -> System.out.println("Spring Boot " + springBoot + ": " + l.trim()));
    assertThat(dependencies).contains("org.springframework.boot:spring-boot:jar:" + springBoot);
    assertThat(dependencies)
        .as("OpenTelemetry's BOM, imported first, wins over Spring Boot's (BOM or parent)")
        .contains("io.opentelemetry:opentelemetry-api:jar:1.65.0");
    assertThat(output)
        .containsPattern("Tests run: 1, Failures: 0, Errors: 0, Skipped: 0[^\\n]*ShopIT")
        .containsPattern("Tests run: 1, Failures: 0, Errors: 0, Skipped: 0[^\\n]*OrdersTemplateIT")
        .doesNotContain("NoClassDefFoundError")
        .doesNotContain("NoSuchMethodError")
        .contains("BUILD SUCCESS");
  }

  /**
   * The README's POM changed as the README says for a project whose parent is
   * spring-boot-starter-parent.
   */
  private static String onBootsParent(String pom, String springBoot) {
    String parent =
        "  <parent>\n"
            + "    <groupId>org.springframework.boot</groupId>\n"
            + "    <artifactId>spring-boot-starter-parent</artifactId>\n"
            + "    <version>" + springBoot + "</version>\n"
            + "    <relativePath/>\n"
            + "  </parent>\n";
    String build =
        "<build>\n"
            + "    <plugins>\n"
            + "      <plugin>\n"
            + "        <groupId>org.apache.maven.plugins</groupId>\n"
            + "        <artifactId>maven-failsafe-plugin</artifactId>\n"
            + "      </plugin>\n"
            + "    </plugins>\n"
            + "  </build>";
    String changed =
        pom.replace("  <modelVersion>4.0.0</modelVersion>\n", "  <modelVersion>4.0.0</modelVersion>\n" + parent)
            .replaceAll("(?s)\\s*<dependency>((?!<dependency>).)*?<artifactId>spring-boot-dependencies</artifactId>((?!<dependency>).)*?</dependency>", "")
            .replaceAll("(?s)<build>.*</build>", java.util.regex.Matcher.quoteReplacement(build));
    assertThat(changed)
        .contains("spring-boot-starter-parent")
        .doesNotContain("spring-boot-dependencies")
        .doesNotContain("<version>3.5.4</version>");
    return changed;
  }

  /** A file's README region, as the README shows it. */
  private static String region(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    int start = -1;
    int end = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains("README:start")) {
        start = i;
      } else if (lines.get(i).contains("README:end")) {
        end = i;
      }
    }
    assertThat(end).as("README region of %s", file).isGreaterThan(start).isPositive();
    return String.join("\n", lines.subList(start + 1, end)) + "\n";
  }

  private static synchronized void installThisBuild(Path repo) throws IOException {
    install(repo, "msk-producer-parent", ROOT.resolve("pom.xml"), null);
    install(repo, "msk-producer-bom", ROOT.resolve("msk-producer-bom/pom.xml"), null);
    for (String module : MODULES) {
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
