import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The compatibility matrix: core's and lambda's unit and integration tests with each supported
 * kafka-clients version in place of the one they are built with, on each JDK, against the
 * testkit's broker (always its own Kafka); then core's with each aws-msk-iam-auth version. Writes
 * docs/compatibility.md from what it saw. Run from the repository root:
 *
 * <pre>
 * java scripts/CompatibilityMatrix.java [--clients 3.8.1,3.9.2,...] [--jdks /path/jdk17,/path/jdk25]
 *     [--iam-auth 2.3.9,2.4.0] [--out docs/compatibility.md]
 * </pre>
 *
 * About 7 minutes per client version and JDK on 2 cores. Logs and results stay in
 * target/compatibility/.
 */
public final class CompatibilityMatrix {
  static final List<String> DEFAULT_CLIENTS =
      List.of("3.8.1", "3.9.2", "4.0.2", "4.1.2", "4.2.2", "4.3.2", "4.4.0");
  static final List<String> DEFAULT_IAM_AUTH = List.of("2.3.9", "2.4.0");
  static final List<String> MODULES = List.of("msk-producer-core", "msk-producer-lambda");

  record Result(int tests, int failures, int errors, int skipped, List<String> failed, List<String> skippedWhy, Duration took, int exit) {
    boolean passed() {
      return exit == 0 && failures == 0 && errors == 0 && tests > 0;
    }
  }

  /** The checked-out commit, short, with "+changes" if the work tree differs from it. */
  static String commit() {
    try {
      Process p = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").redirectErrorStream(true).start();
      String id = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      Process d = new ProcessBuilder("git", "status", "--porcelain", "--untracked-files=no").redirectErrorStream(true).start();
      boolean dirty = !new String(d.getInputStream().readAllBytes(), StandardCharsets.UTF_8).isBlank();
      return p.waitFor() == 0 ? id + (dirty ? "+changes" : "") : "unknown";
    } catch (IOException | InterruptedException e) {
      return "unknown";
    }
  }

  public static void main(String[] args) throws Exception {
    List<String> clients = DEFAULT_CLIENTS;
    List<String> iamAuth = DEFAULT_IAM_AUTH;
    List<Path> jdks = new ArrayList<>();
    Path out = Path.of("docs/compatibility.md");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--clients" -> clients = List.of(args[++i].split(","));
        case "--iam-auth" -> iamAuth = List.of(args[++i].split(","));
        case "--jdks" -> Stream.of(args[++i].split(",")).map(Path::of).forEach(jdks::add);
        case "--out" -> out = Path.of(args[++i]);
        default -> {
          System.err.println("usage: java scripts/CompatibilityMatrix.java [--clients V,...] [--jdks DIR,...] [--iam-auth V,...] [--out FILE]");
          System.exit(2);
        }
      }
    }
    if (jdks.isEmpty()) {
      jdks.add(Path.of(System.getProperty("java.home")));
      try (Stream<Path> installed = Files.list(Path.of("/usr/lib/jvm"))) {
        installed
            .filter(p -> p.getFileName().toString().matches("temurin-25.*|.*-25-.*"))
            .findFirst()
            .ifPresent(jdks::add);
      } catch (IOException e) {
        // no other JDK here
      }
    }
    Path work = Path.of("target/compatibility");
    Files.createDirectories(work);
    long t0 = System.nanoTime();

    // Everything built once, with the first JDK: the tests of core and lambda find the testkit
    // in the local repository.
    run(jdks.get(0), List.of("install", "-DskipTests", "-q"), work.resolve("install.log"));

    Map<String, Map<String, Result>> byClients = new LinkedHashMap<>();
    Map<String, String> jdkNames = new LinkedHashMap<>();
    for (Path jdk : jdks) {
      String name = javaVersion(jdk);
      jdkNames.put(jdk.toString(), name);
      for (String v : clients) {
        List<String> goals = new ArrayList<>();
        goals.add("clean");
        goals.add("verify");
        goals.add("-pl");
        goals.add(String.join(",", MODULES));
        goals.add("-Dkafka.clients.test.version=" + v);
        goals.add("-Dkafka.clients.build.tests.skip=true");
        goals.add("-Dkafka.clients.tests.skip=false");
        goals.add("-Dmaven.test.failure.ignore=true");
        // Full lengths, as the run with the built-with version (CI's run with the lowest
        // version sets shorter ones in the poms; -D on the command line overrides them).
        goals.add("-Drealfreeze.cycles=20");
        goals.add("-Dreauth.load.seconds=30");
        String id = name.replace(' ', '_') + "-kafka-clients-" + v;
        System.out.printf("== kafka-clients %s on %s ...%n", v, name);
        long s = System.nanoTime();
        int exit = run(jdk, goals, work.resolve(id + ".log"));
        Result r = collect(exit, Duration.ofNanos(System.nanoTime() - s), "kafka-clients-" + v);
        System.out.printf("   %s: %d tests, %d failures, %d errors, %d skipped, %s%n", r.passed() ? "PASS" : "FAIL", r.tests, r.failures, r.errors, r.skipped, r.took);
        byClients.computeIfAbsent(v, k -> new LinkedHashMap<>()).put(name, r);
      }
    }

    Map<String, Result> byIamAuth = new LinkedHashMap<>();
    for (String v : iamAuth) {
      System.out.printf("== aws-msk-iam-auth %s (core, kafka-clients as built) ...%n", v);
      long s = System.nanoTime();
      int exit =
          run(
              jdks.get(0),
              List.of("clean", "verify", "-pl", "msk-producer-core", "-Daws-msk-iam-auth.version=" + v,
                  "-Dkafka.clients.tests.skip=true", "-Dmaven.test.failure.ignore=true"),
              work.resolve("aws-msk-iam-auth-" + v + ".log"));
      Result r = collectDefault(exit, Duration.ofNanos(System.nanoTime() - s));
      System.out.printf("   %s: %d tests, %d failures%n", r.passed() ? "PASS" : "FAIL", r.tests, r.failures + r.errors);
      byIamAuth.put(v, r);
    }

    Files.writeString(out, markdown(clients, jdkNames, byClients, byIamAuth, Duration.ofNanos(System.nanoTime() - t0)), StandardCharsets.UTF_8);
    System.out.println("wrote " + out);
  }

  static int run(Path jdk, List<String> goals, Path log) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of("mvnw").toAbsolutePath().toString());
    cmd.add("-B");
    cmd.addAll(goals);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("JAVA_HOME", jdk.toString());
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }

  static String javaVersion(Path jdk) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(jdk.resolve("bin/java").toString(), "-version").redirectErrorStream(true).start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    String first = text.lines().findFirst().orElse("java");
    String version = first.replaceAll(".*version \"([^\"]+)\".*", "$1");
    String vendor = text.contains("Temurin") ? "Temurin" : "OpenJDK";
    return vendor + " " + version;
  }

  static Result collect(int exit, Duration took, String suffix) throws Exception {
    return collect(exit, took, List.of("surefire-reports-" + suffix, "failsafe-reports-" + suffix), MODULES);
  }

  static Result collectDefault(int exit, Duration took) throws Exception {
    return collect(exit, took, List.of("surefire-reports", "failsafe-reports"), List.of("msk-producer-core"));
  }

  static Result collect(int exit, Duration took, List<String> dirs, List<String> modules) throws Exception {
    int tests = 0;
    int failures = 0;
    int errors = 0;
    int skipped = 0;
    List<String> failed = new ArrayList<>();
    List<String> skippedWhy = new ArrayList<>();
    for (String module : modules) {
      for (String dir : dirs) {
        Path d = Path.of(module, "target", dir);
        if (!Files.isDirectory(d)) {
          continue;
        }
        try (Stream<Path> files = Files.list(d)) {
          for (Path f : (Iterable<Path>) files.filter(p -> p.getFileName().toString().matches("TEST-.*\\.xml"))::iterator) {
            Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(f.toFile());
            Element suite = doc.getDocumentElement();
            tests += Integer.parseInt(suite.getAttribute("tests"));
            failures += Integer.parseInt(suite.getAttribute("failures"));
            errors += Integer.parseInt(suite.getAttribute("errors"));
            skipped += Integer.parseInt(suite.getAttribute("skipped"));
            NodeList cases = suite.getElementsByTagName("testcase");
            for (int i = 0; i < cases.getLength(); i++) {
              Element c = (Element) cases.item(i);
              NodeList skips = c.getElementsByTagName("skipped");
              if (skips.getLength() > 0) {
                String why = ((Element) skips.item(0)).getAttribute("message");
                skippedWhy.add(simple(c.getAttribute("classname")) + "." + c.getAttribute("name")
                    + (why.isBlank() ? "" : " (" + firstLine(why) + ")"));
              }
              for (String tag : new String[] {"failure", "error"}) {
                NodeList problems = c.getElementsByTagName(tag);
                if (problems.getLength() > 0) {
                  Element p = (Element) problems.item(0);
                  String message = p.getAttribute("message");
                  String type = p.getAttribute("type");
                  failed.add(simple(c.getAttribute("classname")) + "." + c.getAttribute("name") + ": "
                      + simple(type) + (message.isBlank() ? "" : ": " + firstLine(message)));
                }
              }
            }
          }
        }
      }
    }
    return new Result(tests, failures, errors, skipped, failed, skippedWhy, took, exit);
  }

  static String simple(String name) {
    return name.substring(name.lastIndexOf('.') + 1);
  }

  static String firstLine(String s) {
    String line = s.strip().lines().findFirst().orElse("");
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }

  static String markdown(
      List<String> clients,
      Map<String, String> jdks,
      Map<String, Map<String, Result>> byClients,
      Map<String, Result> byIamAuth,
      Duration took) {
    StringBuilder md = new StringBuilder();
    md.append("# Compatibility\n\n");
    md.append("Written by `java scripts/CompatibilityMatrix.java` from its run of ").append(LocalDate.now())
        .append(" on commit ").append(commit())
        .append(" (").append(took.toMinutes()).append(" minutes; machine: ")
        .append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
        .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch")).append(").\n\n");
    md.append("Each cell: msk-producer-core's and msk-producer-lambda's unit and integration tests, built with\n")
        .append("kafka-clients 4.4.0 and run with the version of the row in its place on the test class path\n")
        .append("(`-Dkafka.clients.test.version`), against the testkit's local broker (IAM over TLS, real\n")
        .append("SigV4 tokens; the broker always runs its own Kafka 4.4.0, in its own class loader). The\n")
        .append("integration tests include `KafkaClientFactsIT`, which checks each fact msk-producer relies\n")
        .append("on beyond Kafka's public API (a private field, message texts, metric names, class names)\n")
        .append("against that version. CI (`./mvnw -B verify`) runs the lowest (3.8.1) and the highest\n")
        .append("(4.4.0) on every change, with the testkit's own tests too.\n\n");
    md.append("| kafka-clients |");
    jdks.values().forEach(j -> md.append(' ').append(j).append(" |"));
    md.append("\n|---|");
    jdks.values().forEach(j -> md.append("---|"));
    md.append('\n');
    List<String> notes = new ArrayList<>();
    for (String v : clients) {
      md.append("| ").append(v).append(" |");
      for (String j : jdks.values()) {
        Result r = byClients.getOrDefault(v, Map.of()).get(j);
        if (r == null) {
          md.append(" not run |");
        } else if (r.passed()) {
          md.append(" pass (").append(r.tests).append(" tests");
          if (r.skipped > 0) {
            notes.add("kafka-clients " + v + " on " + j + ", skipped: " + String.join("; ", r.skippedWhy));
            md.append(", ").append(r.skipped).append(" skipped[^").append(notes.size()).append("]");
          }
          md.append(") |");
        } else {
          notes.add("kafka-clients " + v + " on " + j + (r.exit != 0 && r.failed.isEmpty() ? ": the build failed (exit " + r.exit + "), see target/compatibility/" : ": ") + String.join("; ", r.failed));
          md.append(" **fail** (").append(r.failures + r.errors).append(" of ").append(r.tests).append(")[^").append(notes.size()).append("] |");
        }
      }
      md.append('\n');
    }
    md.append('\n');
    for (int i = 0; i < notes.size(); i++) {
      md.append("[^").append(i + 1).append("]: ").append(notes.get(i)).append("\n");
    }
    if (!notes.isEmpty()) {
      md.append('\n');
    }
    md.append("## aws-msk-iam-auth (the legacy `AWS_MSK_IAM` mechanism)\n\n");
    md.append("msk-producer-core's unit and integration tests (our tokens checked against aws-msk-iam-auth's,\n")
        .append("producing with `MskAuth.iamLegacy`) with each version, kafka-clients 4.4.0, on the first JDK above.\n\n");
    md.append("| aws-msk-iam-auth | result |\n|---|---|\n");
    byIamAuth.forEach((v, r) -> md.append("| ").append(v).append(" | ")
        .append(r.passed() ? "pass (" + r.tests + " tests)" : "**fail**: " + String.join("; ", r.failed)).append(" |\n"));
    md.append('\n');
    return md.toString();
  }
}
