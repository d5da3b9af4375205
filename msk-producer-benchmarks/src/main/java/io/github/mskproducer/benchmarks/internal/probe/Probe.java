package io.github.mskproducer.benchmarks.internal.probe;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * What a cold-start child reports about itself, on one JSON line that starts with {@value
 * #PREFIX}: JVM uptime, classes loaded, peak resident memory. Kept free of any library, since it
 * runs inside both Lambda packages.
 */
public final class Probe {
  /** The start of the result line a child prints; the parent reads the line after it. */
  public static final String PREFIX = "BENCH-RESULT ";

  private final Map<String, Object> values = new LinkedHashMap<>();

  /**
   * Records a figure.
   *
   * @param name its name
   * @param value a number or a string
   * @return this
   */
  public Probe put(String name, Object value) {
    values.put(name, value);
    return this;
  }

  /**
   * Records the JVM's uptime now (from the JVM's start, before any class of ours loaded).
   *
   * @param name the figure's name
   * @return this
   */
  public Probe uptime(String name) {
    return put(name, ManagementFactory.getRuntimeMXBean().getUptime());
  }

  /**
   * Records classes loaded so far and the peak resident set size (Linux {@code VmHWM}).
   *
   * @return this
   */
  public Probe process() {
    put("classesLoaded", ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount());
    put("peakRssKb", statusKb("VmHWM"));
    put("cpuMs", cpuMs());
    return this;
  }

  /**
   * Records the heap in use after two full collections: what the process keeps once warm.
   *
   * @return this
   */
  public Probe heapAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 2; i++) {
      System.gc();
    }
    put("heapAfterGcKb", memory.getHeapMemoryUsage().getUsed() / 1024);
    return this;
  }

  /** Prints the result line. */
  public void print() {
    StringJoiner json = new StringJoiner(",", "{", "}");
    values.forEach(
        (k, v) ->
            json.add(
                "\"" + k + "\":" + (v instanceof Number ? v.toString() : "\"" + v + "\"")));
    System.out.println(PREFIX + json);
    System.out.flush();
  }

  /**
   * A field of {@code /proc/self/status} in kB.
   *
   * @param field e.g. {@code VmHWM}
   * @return its value, or -1 where there is no such file
   */
  public static long statusKb(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  /**
   * The CPU time of the whole process so far (every thread's, the JVM's own included), from
   * {@code /proc/self/stat}, in milliseconds (the kernel counts in ticks of 10 ms).
   *
   * @return the time, or -1 where there is no such file
   */
  public static long cpuMs() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // after the name: state(0) ... utime(11) stime(12), in clock ticks (USER_HZ, 100)
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
