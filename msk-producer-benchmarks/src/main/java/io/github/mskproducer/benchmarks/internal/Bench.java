package io.github.mskproducer.benchmarks.internal;

import io.github.mskproducer.testkit.LocalMskBroker;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * What every benchmark gets: the broker, its facts, the size of the run, where to put logs and
 * where the Lambda packages are.
 *
 * @param msk the broker (child JVM)
 * @param target its facts
 * @param smoke tiny sizes
 * @param work a directory for logs and files
 * @param jars the directory holding handwired-lambda.jar and sdk-lambda.jar
 * @param exampleJar the example Lambda's deployment package
 * @param out progress lines
 * @param jmhProfilers extra JMH profilers (besides the GC profiler)
 */
public record Bench(
    LocalMskBroker msk,
    Target target,
    boolean smoke,
    Path work,
    Path jars,
    Path exampleJar,
    PrintStream out,
    List<String> jmhProfilers) {

  /**
   * Full or smoke size.
   *
   * @param full in a full run
   * @param smokeValue in a smoke run
   * @return the one for this run
   */
  public int size(int full, int smokeValue) {
    return smoke ? smokeValue : full;
  }

  /**
   * Prints a progress line.
   *
   * @param format a format
   * @param args its arguments
   */
  public void progress(String format, Object... args) {
    out.printf("[bench] " + format + "%n", args);
    out.flush();
  }
}
