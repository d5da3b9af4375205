package io.github.mskproducer.benchmarks.internal;

import io.github.mskproducer.lambda.freeze.FreezeRun;
import io.github.mskproducer.testkit.LocalMskBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmark 5: the first acknowledgement after a real freeze (SIGSTOP) with blackholed
 * connections, through the Lambda runtime interface client, using the Lambda module's test
 * harness ({@link FreezeRun}): a plain reused producer versus msk-producer-lambda.
 */
public final class FreezeBenchmark {
  private static final Duration FREEZE = Duration.ofSeconds(5);
  private static final int RECORDS = 5;
  private static final int CONTROL_REQUEST_TIMEOUT_MS = 5000;

  private FreezeBenchmark() {}

  /**
   * Runs it on a broker of its own (proxied, idle timeout 3 s, tokens of 4 s).
   *
   * @param b the bench
   * @return the section
   * @throws Exception if a run fails
   */
  public static Section run(Bench b) throws Exception {
    int cycles = b.size(20, 1);
    int controlCycles = b.size(5, 1);
    Map<String, List<Long>> ms = new LinkedHashMap<>();
    Map<String, Integer> errors = new LinkedHashMap<>();
    try (LocalMskBroker msk =
        LocalMskBroker.builder()
            .proxied(true)
            .connectionsMaxIdle(Duration.ofSeconds(3))
            .maxTokenLifetime(Duration.ofSeconds(4))
            .topic("bench-freeze", 1)
            .topic("bench-freeze-control", 1)
            .start()) {
      String classPath = System.getProperty("java.class.path");
      for (String mode : new String[] {"control", "module"}) {
        int n = mode.equals("module") ? cycles : controlCycles;
        b.progress("freeze: %s, %d freezes of %d s", mode, n, FREEZE.toSeconds());
        FreezeRun.Result r =
            FreezeRun.run(
                msk,
                mode,
                mode.equals("module") ? "bench-freeze" : "bench-freeze-control",
                n,
                RECORDS,
                FREEZE,
                CONTROL_REQUEST_TIMEOUT_MS,
                classPath,
                b.work().resolve("freeze-" + mode + ".log"));
        if (r.initError()) {
          throw new IllegalStateException("the " + mode + " function failed its init; see " + b.work().resolve("freeze-" + mode + ".log"));
        }
        ms.put(mode, r.firstAckAfterThawMs());
        int e = 0;
        for (int i = 1; i < r.responses().size(); i++) {
          var resp = r.responses().get(i);
          if (resp.has("error") || (resp.has("failed") && resp.get("failed").asInt() > 0)) {
            e++;
          }
        }
        errors.put(mode, e);
      }
    }
    Section s =
        new Section("freeze-recovery", "5. Recovery after a Lambda freeze")
            .text(
                "A child JVM runs a handler through the real Lambda runtime interface client"
                    + " against a local Runtime API. After each invocation it is frozen with SIGSTOP"
                    + " for "
                    + FREEZE.toSeconds()
                    + " s, past the broker's idle timeout (3 s) and the token lifetime (4 s), while"
                    + " a proxy silently drops every established connection, as a NAT gateway does"
                    + " after a long freeze; then SIGCONT and the next invocation of "
                    + RECORDS
                    + " records. Figure: from the start of the invocation to the first record's"
                    + " acknowledgement. Plain: a `KafkaProducer` with aws-msk-iam-auth reused"
                    + " across invocations (`request.timeout.ms="
                    + CONTROL_REQUEST_TIMEOUT_MS
                    + "`, lower than Kafka's default 30 s); msk-producer-lambda: `LambdaProducer`"
                    + " with a 2 s thaw threshold (it recycles the client after a freeze). The"
                    + " harness is the Lambda module's `RealFreezeIT`'s.")
            .table(null, "", "freezes", "p50, ms", "p99, ms", "min to max, ms", "invocations with failures");
    Map<String, Object> json = new LinkedHashMap<>();
    for (String mode : new String[] {"control", "module"}) {
      List<Long> v = ms.get(mode);
      Stats st = Stats.of(new ArrayList<>(v));
      s.row(
          mode.equals("module") ? "msk-producer-lambda" : "plain reused producer",
          v.size(),
          Stats.fmt(st.percentile(50), 0),
          Stats.fmt(st.percentile(99), 0),
          Stats.fmt(st.min(), 0) + " to " + Stats.fmt(st.max(), 0),
          errors.get(mode));
      Map<String, Object> o = new LinkedHashMap<>(st.toMap());
      o.put("p50", st.percentile(50));
      o.put("p99", st.percentile(99));
      o.put("invocationsWithFailures", errors.get(mode));
      json.put(mode.equals("module") ? "mskProducerLambda" : "plainReused", o);
    }
    double ratio = Stats.of(new ArrayList<>(ms.get("module"))).percentile(50) / Stats.of(new ArrayList<>(ms.get("control"))).percentile(50);
    s.text("Ratio of the p50s, msk-producer-lambda / plain: **" + Stats.fmt(ratio, 3) + "** (lower is faster).");
    return s.put("results", json).put("ratioP50", Stats.round(ratio));
  }
}
