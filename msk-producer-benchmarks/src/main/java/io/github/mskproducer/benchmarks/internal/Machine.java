package io.github.mskproducer.benchmarks.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.utils.internals.AppInfoParser;

/** Where and when a run happened. */
public final class Machine {
  private final String date = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  private final int cores = Runtime.getRuntime().availableProcessors();
  private final String cpu = cpuInfo("model name");
  private final long memoryMb = memInfoKb("MemTotal") / 1024;
  private final String os = System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch");
  private final String jdk = System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
  private final String kafka = AppInfoParser.getVersion();

  /** @return the date of the run, UTC */
  public String date() {
    return date;
  }

  /** @return one line for the report */
  public String describe() {
    return cores + " cores (" + cpu + "), " + memoryMb + " MB, " + os + ", " + jdk;
  }

  /** @return how the broker ran */
  public String broker() {
    return "LocalMskBroker (Apache Kafka " + kafka + ", KRaft, one node in a child JVM on the same machine,"
        + " `-Xms512m -Xmx1g -XX:+UseParallelGC`), SASL_SSL with MSK IAM tokens verified by SigV4 on every"
        + " connection";
  }

  /** @return the same facts for JSON */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cores", cores);
    m.put("cpu", cpu);
    m.put("memoryMb", memoryMb);
    m.put("os", os);
    m.put("jdk", jdk);
    m.put("kafka", kafka);
    return m;
  }

  private static String cpuInfo(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith(field)) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      return "unknown CPU";
    }
    return "unknown CPU";
  }

  private static long memInfoKb(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
