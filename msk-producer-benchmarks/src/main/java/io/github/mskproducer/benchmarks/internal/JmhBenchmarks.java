package io.github.mskproducer.benchmarks.internal;

import io.github.mskproducer.benchmarks.internal.jmh.SendPathBench;
import io.github.mskproducer.benchmarks.internal.jmh.TokenBench;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** Benchmarks 2 and 3 (warm), run by JMH in forked JVMs with its GC profiler. */
public final class JmhBenchmarks {
  /** Sends per single-shot iteration of the send path. */
  private static final int SEND_PATH_BATCH = 10_000;

  private JmhBenchmarks() {}

  private static Collection<RunResult> run(Bench b, Class<?> benchmark, String heap, int iterationMs)
      throws Exception {
    return run(b, benchmark, heap, iterationMs, 0);
  }

  /** With {@code batch} > 0: single-shot iterations of that many calls. */
  private static Collection<RunResult> run(Bench b, Class<?> benchmark, String heap, int iterationMs, int batch)
      throws Exception {
    Path target = b.target().write(b.work().resolve("target.properties"));
    Path log = b.work().resolve("jmh-" + benchmark.getSimpleName() + ".log");
    ChainedOptionsBuilder o =
        new OptionsBuilder()
            .include(benchmark.getName() + "\\.")
            .forks(b.size(2, 1))
            .warmupIterations(b.size(4, 1))
            .warmupTime(TimeValue.milliseconds(b.size(iterationMs, 200)))
            .measurementIterations(b.size(5, 2))
            .measurementTime(TimeValue.milliseconds(b.size(iterationMs, 200)))
            .addProfiler(GCProfiler.class)
            .jvmArgsAppend(
                "-D" + Target.FILE_PROPERTY + "=" + target,
                "-D" + SendPathBench.ALLOCATION_FILE_PROPERTY + "=" + allocationFile(b),
                "-Dorg.slf4j.simpleLogger.logFile=" + b.work().resolve("jmh-forks.log"),
                "-Dorg.slf4j.simpleLogger.log.org.apache.kafka=warn",
                heap,
                "-XX:+UseParallelGC")
            .shouldFailOnError(true)
            .output(log.toString());
    for (String profiler : b.jmhProfilers()) {
      o.addProfiler(profiler, profiler.equals("jfr") ? "dir=" + b.work().resolve("jfr") : "");
    }
    if (batch > 0) {
      o.warmupIterations(b.size(20, 2))
          .measurementIterations(b.size(30, 3))
          .warmupBatchSize(batch)
          .measurementBatchSize(batch);
    }
    b.progress("JMH %s (its output: %s)", benchmark.getSimpleName(), log);
    return new Runner(o.build()).run();
  }

  /** Where the send path's forks write their sending thread's allocation per batch. */
  private static Path allocationFile(Bench b) {
    return b.work().resolve("send-path-allocation.txt");
  }

  /**
   * The sending thread's bytes per call, median over the measured batches, by side ({@code
   * handWired}, {@code mskProducer}) and record size.
   */
  private static Map<String, Double> sendingThreadBytes(Bench b) throws java.io.IOException {
    Map<String, List<Double>> perBatch = new LinkedHashMap<>();
    for (String line : java.nio.file.Files.readAllLines(allocationFile(b))) {
      String[] f = line.trim().split(" ");
      if (f.length == 4) {
        perBatch
            .computeIfAbsent(f[0] + " " + f[1], k -> new ArrayList<>())
            .add(Double.parseDouble(f[2]) / Double.parseDouble(f[3]));
      }
    }
    Map<String, Double> out = new LinkedHashMap<>();
    perBatch.forEach((k, v) -> out.put(k, Stats.of(v).median()));
    return out;
  }

  private static double allocNorm(RunResult r) {
    for (Map.Entry<String, Result> e : r.getSecondaryResults().entrySet()) {
      if (e.getKey().endsWith("gc.alloc.rate.norm")) {
        return e.getValue().getScore();
      }
    }
    return Double.NaN;
  }

  /** The score ± JMH's error, which needs more than one iteration. */
  private static String score(RunResult r, int decimals) {
    double error = r.getPrimaryResult().getScoreError();
    return Stats.fmt(r.getPrimaryResult().getScore(), decimals)
        + (Double.isNaN(error) ? "" : " ± " + Stats.fmt(error, decimals));
  }

  private static String method(RunResult r) {
    String name = r.getParams().getBenchmark();
    return name.substring(name.lastIndexOf('.') + 1);
  }

  /**
   * The send path.
   *
   * @param b the bench
   * @return the section
   * @throws Exception if JMH fails
   */
  public static Section sendPath(Bench b) throws Exception {
    b.msk().createTopic(SendPathBench.TOPIC, 3);
    int batch = b.size(SEND_PATH_BATCH, 1_000);
    java.nio.file.Files.deleteIfExists(allocationFile(b));
    Collection<RunResult> results = run(b, SendPathBench.class, "-Xmx2g", 0, batch);
    Map<String, Double> sendingThread = sendingThreadBytes(b);
    Map<String, Map<String, RunResult>> bySize = new LinkedHashMap<>();
    for (RunResult r : results) {
      bySize.computeIfAbsent(r.getParams().getParam("size"), k -> new LinkedHashMap<>()).put(method(r), r);
    }
    Section s =
        new Section("send-path", "2. Send path (JMH): `send` into the producer's buffer, no network")
            .text(
                "Both producers connect and learn the topic's metadata; then the broker's process is"
                    + " frozen (SIGSTOP), so nothing leaves the buffer while JMH times a batch of "
                    + Stats.fmt(batch, 0)
                    + " `send` calls (serialization, partitioning, lz4 into the batch, and for"
                    + " msk-producer its `CompletableFuture` and delivery tracking). After each batch"
                    + " the broker is thawed and every record is flushed and acknowledged, outside the"
                    + " timing. Values without key, same settings and values as table 1. ns/op: the"
                    + " median batch time over the calls in it (middle 50% of batches in brackets);"
                    + " B/op, all threads: the GC profiler's `gc.alloc.rate.norm` over the calls"
                    + " (allocation by every thread of the fork while the batch ran, Kafka's I/O thread"
                    + " polling the frozen broker included, which moves from run to run by more than"
                    + " the difference between the sides); B/op, sending thread: what the thread that"
                    + " calls `send` allocated during the batch (`ThreadMXBean`), per call, median over"
                    + " the batches: the bytes a `send` itself costs, and the column the goal reads"
                    + " (no more than hand-wired). "
                    + b.size(2, 1)
                    + " forks x "
                    + b.size(30, 3)
                    + " batches after "
                    + b.size(20, 2)
                    + " warm-up batches.")
            .table(
                null,
                "record size",
                "hand-wired ns/op",
                "msk-producer ns/op",
                "ratio (ns)",
                "hand-wired B/op, all threads",
                "msk-producer B/op, all threads",
                "hand-wired B/op, sending thread",
                "msk-producer B/op, sending thread",
                "extra B/op, sending thread");
    List<Object> json = new ArrayList<>();
    for (Map.Entry<String, Map<String, RunResult>> e : bySize.entrySet()) {
      RunResult h = e.getValue().get("handWired");
      RunResult m = e.getValue().get("mskProducer");
      double hs = perCall(h, 50, batch);
      double ms = perCall(m, 50, batch);
      double ha = allocPerCall(h, batch);
      double ma = allocPerCall(m, batch);
      double hc = sendingThread.getOrDefault("handWired " + e.getKey(), Double.NaN);
      double mc = sendingThread.getOrDefault("mskProducer " + e.getKey(), Double.NaN);
      s.row(
          e.getKey() + " B",
          quartiles(h, batch),
          quartiles(m, batch),
          Stats.fmt(ms / hs, 2),
          Stats.fmt(ha, 0),
          Stats.fmt(ma, 0),
          Stats.fmt(hc, 0),
          Stats.fmt(mc, 0),
          Stats.fmt(mc - hc, 0));
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("recordBytes", Integer.parseInt(e.getKey()));
      o.put("handWiredNsPerOp", Stats.round(hs));
      o.put("mskProducerNsPerOp", Stats.round(ms));
      o.put("handWiredBytesPerOp", Stats.round(ha));
      o.put("mskProducerBytesPerOp", Stats.round(ma));
      o.put("handWiredSendingThreadBytesPerOp", Stats.round(hc));
      o.put("mskProducerSendingThreadBytesPerOp", Stats.round(mc));
      o.put("ratio", Stats.round(ms / hs));
      json.add(o);
    }
    return s.put("results", json).put("batch", batch);
  }

  /** A percentile of the batch times, per call, in ns. */
  private static double perCall(RunResult r, double percentile, int batch) {
    return r.getPrimaryResult().getStatistics().getPercentile(percentile) / batch;
  }

  private static String quartiles(RunResult r, int batch) {
    return Stats.fmt(perCall(r, 50, batch), 0)
        + " ("
        + Stats.fmt(perCall(r, 25, batch), 0)
        + " to "
        + Stats.fmt(perCall(r, 75, batch), 0)
        + ")";
  }

  /**
   * JMH's GC profiler divides by the operations it counted; in single-shot mode a batch counts
   * as one operation.
   */
  private static double allocPerCall(RunResult r, int batch) {
    return allocNorm(r) / batch;
  }

  /**
   * Warm tokens.
   *
   * @param b the bench
   * @return the section
   * @throws Exception if JMH fails
   */
  public static Section token(Bench b) throws Exception {
    Collection<RunResult> results = run(b, TokenBench.class, "-Xmx512m", 1000);
    Section s =
        new Section("token-warm", "3b. Token generation, warm (JMH)")
            .text(
                "One MSK IAM token through the callback handler Kafka calls at each connection and"
                    + " re-authentication, in a warm JVM; credentials from the default chain (system"
                    + " properties). Time per token and bytes allocated per token.")
            .table(null, "", "µs/token", "B/token");
    Map<String, Object> json = new LinkedHashMap<>();
    Map<String, Double> score = new LinkedHashMap<>();
    for (RunResult r : results) {
      String side = r.getParams().getParam("side");
      double us = r.getPrimaryResult().getScore();
      score.put(side, us);
      s.row(
          side.equals("msk-producer") ? "msk-producer" : "hand-wired (aws-msk-iam-auth)",
          score(r, 1),
          Stats.fmt(allocNorm(r), 0));
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("microsPerToken", Stats.round(us));
      o.put("bytesPerToken", Stats.round(allocNorm(r)));
      json.put(side, o);
    }
    double ratio = score.get("msk-producer") / score.get("aws-msk-iam-auth");
    s.text("Ratio, msk-producer / aws-msk-iam-auth: **" + Stats.fmt(ratio, 2) + "** (lower is faster).");
    return s.put("results", json).put("ratio", Stats.round(ratio));
  }
}
