package io.github.mskproducer.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs {@code java -jar msk-producer.jar ...} as users do: a process, its exit code, its output. */
final class Cli {
  private Cli() {}

  /** Standard output (the report) and standard error (progress, logs, usage errors), apart. */
  record Run(int exit, String out, String err) {
    /** The last line of standard output. */
    String lastLine() {
      String[] lines = out.strip().split("\\R");
      return lines[lines.length - 1];
    }
  }

  /**
   * Runs the jar with these arguments; the environment loses every AWS_ and MSK_ variable of
   * this JVM and gets {@code env}. Standard input is {@code stdin} (a file) or empty.
   */
  static Run run(Map<String, String> env, Path stdin, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-jar");
    cmd.add(System.getProperty("cli.jar"));
    cmd.addAll(List.of(args));
    Path err = Files.createTempFile("cli", ".err");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(err.toFile());
    if (stdin != null) {
      pb.redirectInput(stdin.toFile());
    }
    pb.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("MSK_"));
    pb.environment().putAll(env);
    Process p = pb.start();
    if (stdin == null) {
      p.getOutputStream().close();
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("the command ended").isTrue();
    Run run = new Run(p.exitValue(), out, Files.readString(err));
    Files.delete(err);
    for (Map.Entry<String, String> e : env.entrySet()) {
      if (e.getKey().contains("SECRET") && e.getValue().length() >= 8) {
        assertThat(run.out() + run.err()).as("no secret printed").doesNotContain(e.getValue());
      }
    }
    return run;
  }
}
