package io.github.mskproducer.benchmarks;

import io.github.mskproducer.benchmarks.internal.Bench;
import io.github.mskproducer.benchmarks.internal.BuildBenchmark;
import io.github.mskproducer.benchmarks.internal.ColdStartBenchmark;
import io.github.mskproducer.benchmarks.internal.FootprintBenchmark;
import io.github.mskproducer.benchmarks.internal.FreezeBenchmark;
import io.github.mskproducer.benchmarks.internal.JmhBenchmarks;
import io.github.mskproducer.benchmarks.internal.LambdaFlushBenchmark;
import io.github.mskproducer.benchmarks.internal.Machine;
import io.github.mskproducer.benchmarks.internal.Report;
import io.github.mskproducer.benchmarks.internal.Section;
import io.github.mskproducer.benchmarks.internal.Target;
import io.github.mskproducer.benchmarks.internal.ThroughputBenchmark;
import io.github.mskproducer.testkit.LocalMskBroker;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs every benchmark against a local broker and writes {@code benchmarks.md} and {@code
 * benchmarks.json}: {@code java -jar msk-producer-benchmarks/target/msk-producer-benchmarks.jar}
 * from the repository's root, after {@code ./mvnw -B -q package -DskipTests}.
 */
@Command(
    name = "msk-producer-benchmarks",
    mixinStandardHelpOptions = true,
    description = "Measures msk-producer against a hand-wired KafkaProducer with aws-msk-iam-auth on a local broker.")
public final class BenchmarkSuite implements Callable<Integer> {
  /** Every benchmark, in the order they run. */
  public static final List<String> BENCHMARKS =
      List.of("footprint", "throughput", "send-path", "token", "cold-start", "invocation-flush", "freeze", "build", "scaling");

  /** The benchmark broker's JVM options. */
  public static final List<String> BROKER_JVM_OPTIONS = List.of("-Xms512m", "-Xmx1g", "-XX:+UseParallelGC");

  @Option(names = "--smoke", description = "Tiny sizes, one round each: checks the suite works in a minute or two; the figures mean nothing.")
  boolean smoke;

  @Option(names = "--out", paramLabel = "DIR", description = "Where benchmarks.md and benchmarks.json go (default: the repository's docs directory; with --smoke, msk-producer-benchmarks/target/smoke, so that a smoke run never replaces the real figures).")
  Path out;

  @Option(names = "--only", split = ",", paramLabel = "NAME", description = "Run only these: footprint, throughput, scaling, send-path, token, cold-start, invocation-flush, freeze, build.")
  List<String> only;

  @Option(names = "--work", paramLabel = "DIR", description = "Where logs go (default: a new temporary directory).")
  Path work;

  @Option(names = "--jars", paramLabel = "DIR", description = "The directory of handwired-lambda.jar and sdk-lambda.jar (default: this jar's).")
  Path jars;

  @Option(names = "--example-jar", paramLabel = "FILE", description = "The example Lambda package (default: msk-producer-examples/target/msk-producer-lambda-example.jar next to this module).")
  Path exampleJar;

  @Option(names = "--jmh-profiler", paramLabel = "NAME", description = "Adds a JMH profiler to the JMH benchmarks, e.g. jfr (a flight recording per fork, in the work directory) or stack; repeatable.")
  List<String> jmhProfilers = new ArrayList<>();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private final List<String> args;

  private BenchmarkSuite(List<String> args) {
    this.args = args;
  }

  /**
   * Runs the suite; exit status 0 when every benchmark ran, 1 when one failed (the report
   * says which), 2 for bad options.
   *
   * @param args the options ({@code --help} lists them)
   */
  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchmarkSuite(List.of(args))).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Set<String> selected = new LinkedHashSet<>(only == null ? BENCHMARKS : only);
    for (String name : selected) {
      if (!BENCHMARKS.contains(name)) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--only: unknown benchmark '" + name + "'; choose from " + BENCHMARKS);
      }
    }
    Path self = Path.of(BenchmarkSuite.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path jarDir = (jars != null ? jars : self.getParent()).toAbsolutePath();
    Path example =
        exampleJar != null
            ? exampleJar
            : jarDir.getParent().getParent().resolve("msk-producer-examples/target/msk-producer-lambda-example.jar");
    if (!Files.isRegularFile(example)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--example-jar: " + example + " does not exist; build it first (./mvnw -B -q package -DskipTests) or name it");
    }
    Path repository = jarDir.getParent().getParent();
    Path outDir = out != null ? out : smoke ? jarDir.resolve("smoke") : repository.resolve("docs");
    Path workDir = work != null ? Files.createDirectories(work) : Files.createTempDirectory("msk-producer-bench");
    // Our log lines (and the broker's) go to a file: the console shows progress only.
    System.setProperty("org.slf4j.simpleLogger.logFile", workDir.resolve("suite.log").toString());
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "warn");
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    PrintStream console = System.out;

    String command = "java -jar msk-producer-benchmarks/target/msk-producer-benchmarks.jar" + (args.isEmpty() ? "" : " " + String.join(" ", args));
    Machine machine = new Machine();
    Report report = new Report(machine, command, smoke);
    console.printf("[bench] %s run, logs in %s%n", smoke ? "smoke" : "full", workDir);
    long t0 = System.nanoTime();
    // The broker in its own JVM, fully compiled (the testkit's default child JVM stops at C1 to
    // start fast): here it should be the client, not the broker, that limits the figures.
    try (LocalMskBroker msk =
        LocalMskBroker.builder()
            .mode(LocalMskBroker.Mode.CHILD_PROCESS)
            .childJvmOptions(BROKER_JVM_OPTIONS)
            .start()) {
      Target target = Target.of(msk);
      target.installSystemProperties();
      Bench b = new Bench(msk, target, smoke, workDir, jarDir, example, console, jmhProfilers);
      Map<String, Object> coldStart = null;
      for (String name : BENCHMARKS) {
        if (!selected.contains(name) || name.equals("footprint")) {
          continue; // footprint is measured last, with the cold-start runs' heap figures
        }
        long s0 = System.nanoTime();
        b.progress("%s ...", name);
        try {
          switch (name) {
            case "throughput":
              report.add(ThroughputBenchmark.run(b));
              break;
            case "scaling":
              report.add(io.github.mskproducer.benchmarks.internal.ScalingBenchmark.run(b));
              break;
            case "send-path":
              report.add(JmhBenchmarks.sendPath(b));
              break;
            case "token":
              report.add(ColdStartBenchmark.token(b));
              report.add(JmhBenchmarks.token(b));
              break;
            case "cold-start":
              Section cs = ColdStartBenchmark.start(b);
              coldStart = cs.modes();
              report.add(cs);
              report.add(ColdStartBenchmark.aot(b));
              break;
            case "invocation-flush":
              report.add(LambdaFlushBenchmark.run(b));
              break;
            case "freeze":
              report.add(FreezeBenchmark.run(b));
              report.add(FreezeBenchmark.reconnect(b));
              break;
            case "build":
              report.add(BuildBenchmark.run(b));
              break;
            default:
              throw new IllegalStateException(name);
          }
        } catch (Exception e) {
          report.failed(name, e);
          e.printStackTrace(console);
        }
        b.progress("%s done in %.0f s", name, (System.nanoTime() - s0) / 1e9);
      }
      if (selected.contains("footprint")) {
        try {
          report.add(FootprintBenchmark.run(b, coldStart));
        } catch (Exception e) {
          report.failed("footprint", e);
          e.printStackTrace(console);
        }
      }
    }
    report.write(outDir);
    console.printf(
        "[bench] wrote %s and %s in %.0f s%n",
        outDir.resolve("benchmarks.md"), outDir.resolve("benchmarks.json"), (System.nanoTime() - t0) / 1e9);
    if (!report.failures().isEmpty()) {
      console.println("[bench] FAILED: " + report.failures());
      return 1;
    }
    return 0;
  }
}
