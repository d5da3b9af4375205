package io.github.mskproducer.benchmarks.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mskproducer.benchmarks.internal.probe.Probe;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a fresh JVM with the options of Lambda's Java runtimes (tiered compilation stopped at C1,
 * serial GC; a 512 MB function gets about this heap) and reads its {@link Probe} line.
 */
public final class Child {
  /** The JVM options Lambda's managed Java runtimes start with. */
  public static final List<String> LAMBDA_JVM_OPTIONS =
      List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-Xmx384m");

  private static final ObjectMapper JSON = new ObjectMapper();

  private Child() {}

  /**
   * Runs {@code main} from {@code jar} and returns its result line.
   *
   * @param jar the class path
   * @param main the main class
   * @param args its arguments
   * @param env its environment (added to a copy of this one without AWS_ and MSK_ variables)
   * @param log where its output goes
   * @return the result line's fields
   * @throws IOException if it could not run or printed no result
   * @throws InterruptedException if interrupted
   */
  public static JsonNode run(Path jar, String main, List<String> args, Map<String, String> env, Path log)
      throws IOException, InterruptedException {
    return run(Path.of(System.getProperty("java.home")), List.of(), jar, main, args, env, log);
  }

  /**
   * Runs {@code main} from {@code jar} with another JDK and more JVM options.
   *
   * @param javaHome the JDK
   * @param jvmOptions options after Lambda's
   * @param jar the class path
   * @param main the main class
   * @param args its arguments
   * @param env its environment
   * @param log where its output goes
   * @return the result line's fields
   * @throws IOException if it could not run or printed no result
   * @throws InterruptedException if interrupted
   */
  public static JsonNode run(
      Path javaHome, List<String> jvmOptions, Path jar, String main, List<String> args, Map<String, String> env, Path log)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(javaHome.resolve("bin").resolve("java").toString());
    boolean aot = jvmOptions.stream().anyMatch(o -> o.startsWith("-XX:AOTCache"));
    for (String o : LAMBDA_JVM_OPTIONS) {
      if (!(aot && o.startsWith("-Xshare"))) { // an AOT cache replaces the CDS archive
        command.add(o);
      }
    }
    command.addAll(jvmOptions);
    // For profiling the children by hand (e.g. -Dbench.child.options=-Xlog:gc,class+load:file=...):
    // the figures of a run with it are not comparable.
    String extra = System.getProperty("bench.child.options", "").trim();
    if (!extra.isEmpty()) {
      command.addAll(List.of(extra.split("\\s+")));
    }
    command.add("-cp");
    command.add(jar.toString());
    command.add(main);
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("MSK_") || k.equals("JAVA_TOOL_OPTIONS"));
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(main + " " + args + " did not finish in 180 s; its output is in " + log);
    }
    String result = null;
    for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
      if (line.startsWith(Probe.PREFIX)) {
        result = line.substring(Probe.PREFIX.length());
      }
    }
    if (p.exitValue() != 0 || result == null) {
      throw new IOException(main + " " + args + " failed (exit " + p.exitValue() + "); its output is in " + log);
    }
    return JSON.readTree(result);
  }
}
