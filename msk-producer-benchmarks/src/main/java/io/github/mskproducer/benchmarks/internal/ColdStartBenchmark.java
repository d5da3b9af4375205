package io.github.mskproducer.benchmarks.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mskproducer.benchmarks.internal.handwired.HandWiredColdMain;
import io.github.mskproducer.benchmarks.internal.sdk.SdkColdMain;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmarks 3 (cold token) and 4 (cold start): fresh JVMs with Lambda's JVM options, each from
 * its own minimal package (handwired-lambda.jar or sdk-lambda.jar), modes alternated run after
 * run.
 */
public final class ColdStartBenchmark {
  static final String TOPIC = "bench-cold";
  private static final String[] START_MODES = {"handwired", "sdk", "lambda", "lambda-primed"};

  private ColdStartBenchmark() {}

  private static JsonNode child(Bench b, String mode, List<String> args, int run) throws Exception {
    boolean hand = mode.equals("handwired");
    Path jar = b.jars().resolve(hand ? "handwired-lambda.jar" : "sdk-lambda.jar");
    String main = hand ? HandWiredColdMain.class.getName() : SdkColdMain.class.getName();
    List<String> a = new ArrayList<>();
    if (!hand) {
      a.add(args.get(0).equals("start") ? mode : "token");
    } else {
      a.add(args.get(0));
    }
    a.addAll(args.subList(1, args.size()));
    return Child.run(jar, main, a, lambdaEnvironment(b), b.work().resolve("cold-" + mode + "-" + args.get(0) + "-" + run + ".log"));
  }

  /** The broker's settings and credentials, and the variables Lambda's runtime sets. */
  static Map<String, String> lambdaEnvironment(Bench b) {
    Map<String, String> env = new LinkedHashMap<>(b.target().environment());
    env.put("AWS_LAMBDA_FUNCTION_NAME", "bench-cold-start");
    env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512");
    env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
    env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java17");
    return env;
  }

  /** Where the JDK 25 of the AOT-cache measurement is, if installed. */
  static final Path JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

  /**
   * Cold start on JDK 25 with and without an AOT cache (JEP 483/514): one training run writes
   * the cache ({@code -XX:AOTCacheOutput}), then fresh JVMs start with {@code -XX:AOTCache},
   * alternated with JVMs without it, for the hand-wired producer and msk-producer-lambda.
   *
   * @param b the bench
   * @return the section
   * @throws Exception if a run fails
   */
  public static Section aot(Bench b) throws Exception {
    Section s = new Section("aot-cache", "4b. Cold start on JDK 25, with and without an AOT cache");
    if (!java.nio.file.Files.isExecutable(JDK25.resolve("bin").resolve("java"))) {
      return s.text("Not measured: no JDK 25 at " + JDK25 + ".");
    }
    b.msk().createTopic(TOPIC, 1);
    int runs = b.size(10, 1);
    Map<String, Path> caches = new LinkedHashMap<>();
    for (String side : new String[] {"handwired", "lambda"}) {
      Path cache = b.work().resolve(side + ".aot");
      java.nio.file.Files.deleteIfExists(cache);
      // The training run: the same program, its cache written at exit.
      aotChild(b, side, List.of("-XX:AOTCacheOutput=" + cache), "train");
      if (!java.nio.file.Files.exists(cache)) {
        throw new IllegalStateException("the training run wrote no AOT cache for " + side);
      }
      caches.put(side, cache);
    }
    String[] modes = {"handwired", "handwired-aot", "lambda", "lambda-aot"};
    Map<String, List<Double>> uptime = new LinkedHashMap<>();
    Map<String, List<Double>> classes = new LinkedHashMap<>();
    for (int r = 0; r < runs; r++) {
      for (int i = 0; i < modes.length; i++) {
        String mode = modes[(i + r) % modes.length];
        String side = mode.startsWith("handwired") ? "handwired" : "lambda";
        List<String> opts = mode.endsWith("-aot") ? List.of("-XX:AOTCache=" + caches.get(side)) : List.of();
        JsonNode n = aotChild(b, side, opts, mode + "-" + r);
        uptime.computeIfAbsent(mode, k -> new ArrayList<>()).add(n.get("uptimeAtAckMs").asDouble());
        classes.computeIfAbsent(mode, k -> new ArrayList<>()).add(n.get("classesLoaded").asDouble());
      }
      b.progress("AOT cache round %d of %d", r + 1, runs);
    }
    s.text(
        "Temurin "
            + Runtime.version().feature()
            + " ran the suite; these children run "
            + JDK25
            + " (Lambda's java25 runtime is a JDK 25), with Lambda's JVM options, from the same"
            + " packages as table 4. The cache comes from one training run of the same program"
            + " against the same broker (`-XX:AOTCacheOutput=<file>`, JEP 514: classes loaded and"
            + " linked, and profiles); the measured runs add `-XX:AOTCache=<file>`. "
            + runs
            + " runs of each mode, alternated. The cache must come from the same JDK build, the"
            + " same class path and the same JVM options as the function's: see"
            + " docs/lambda-aot-cache.md for the recipe.")
        .table(null, "", "JVM uptime at ack, ms", "classes loaded", "ratio to the same side without the cache");
    Map<String, Object> json = new LinkedHashMap<>();
    for (String mode : modes) {
      Stats u = Stats.of(uptime.get(mode));
      String base = mode.replace("-aot", "");
      double ratio = u.median() / Stats.of(uptime.get(base)).median();
      s.row(
          (mode.startsWith("handwired") ? "hand-wired" : "msk-producer-lambda") + (mode.endsWith("-aot") ? ", AOT cache" : ""),
          u.medianRange(0),
          Stats.of(classes.get(mode)).medianRange(0),
          mode.endsWith("-aot") ? Stats.fmt(ratio, 2) : "");
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("uptimeAtAckMs", u.toMap());
      o.put("ratio", Stats.round(ratio));
      json.put(mode, o);
    }
    double vsHand = Stats.of(uptime.get("lambda-aot")).median() / Stats.of(uptime.get("handwired")).median();
    s.text("msk-producer-lambda with the AOT cache / hand-wired without: **" + Stats.fmt(vsHand, 2) + "**.");
    return s.put("modes", json).put("ratio", Stats.round(vsHand));
  }

  private static JsonNode aotChild(Bench b, String side, List<String> jvmOptions, String label) throws Exception {
    boolean hand = side.equals("handwired");
    Path jar = b.jars().resolve(hand ? "handwired-lambda.jar" : "sdk-lambda.jar");
    String main = hand ? HandWiredColdMain.class.getName() : SdkColdMain.class.getName();
    List<String> a = new ArrayList<>(List.of(hand ? "start" : "lambda", TOPIC, "100"));
    return Child.run(JDK25, jvmOptions, jar, main, a, lambdaEnvironment(b), b.work().resolve("aot-" + side + "-" + label + ".log"));
  }

  /**
   * Cold token: the first token in a fresh JVM.
   *
   * @param b the bench
   * @return the section
   * @throws Exception if a run fails
   */
  public static Section token(Bench b) throws Exception {
    int runs = b.size(10, 2);
    Map<String, List<Double>> tokenMs = new LinkedHashMap<>();
    Map<String, List<Double>> uptime = new LinkedHashMap<>();
    Map<String, List<Double>> classes = new LinkedHashMap<>();
    String[] modes = {"handwired", "sdk"};
    for (int r = 0; r < runs; r++) {
      for (int i = 0; i < modes.length; i++) {
        String mode = modes[(i + r) % modes.length];
        JsonNode n = child(b, mode, List.of("token"), r);
        tokenMs.computeIfAbsent(mode, k -> new ArrayList<>()).add(n.get("tokenMs").asDouble());
        uptime.computeIfAbsent(mode, k -> new ArrayList<>()).add(n.get("uptimeMs").asDouble());
        classes.computeIfAbsent(mode, k -> new ArrayList<>()).add(n.get("classesLoaded").asDouble());
      }
      b.progress("cold token round %d of %d", r + 1, runs);
    }
    Section s =
        new Section("token-cold", "3a. Token generation, cold: the first token in a fresh JVM")
            .text(
                "A fresh JVM (Lambda's JVM options) signs one MSK IAM token through the callback"
                    + " handler Kafka's login calls, credentials from environment variables via the"
                    + " default chain. Timed from `main` to the token; JVM uptime includes the JVM's"
                    + " own start. Hand-wired: aws-msk-iam-auth's `IAMOAuthBearerLoginCallbackHandler`"
                    + " (signs with the AWS SDK's SigV4 signer); msk-producer: its own SigV4 code"
                    + " behind the same callback. "
                    + runs
                    + " runs of each, alternated.")
            .table(null, "", "token in main, ms", "JVM uptime at token, ms", "classes loaded");
    Map<String, Object> json = new LinkedHashMap<>();
    for (String mode : modes) {
      Stats t = Stats.of(tokenMs.get(mode));
      Stats u = Stats.of(uptime.get(mode));
      Stats c = Stats.of(classes.get(mode));
      s.row(label(mode), t.medianRange(1), u.medianRange(0), c.medianRange(0));
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("tokenMs", t.toMap());
      o.put("uptimeMs", u.toMap());
      o.put("classesLoaded", c.toMap());
      json.put(mode, o);
    }
    double ratio = Stats.of(tokenMs.get("sdk")).median() / Stats.of(tokenMs.get("handwired")).median();
    s.text("Ratio of the medians, msk-producer / hand-wired: **" + Stats.fmt(ratio, 2) + "** (lower is faster).");
    return s.put("modes", json).put("ratio", Stats.round(ratio));
  }

  /**
   * Cold start: a fresh JVM to the first acknowledged record, then the heap after warm-up.
   *
   * @param b the bench
   * @return the section
   * @throws Exception if a run fails
   */
  public static Section start(Bench b) throws Exception {
    b.msk().createTopic(TOPIC, 1);
    int runs = b.size(10, 1);
    int warm = b.size(2_000, 100);
    Map<String, Map<String, List<Double>>> figures = new LinkedHashMap<>();
    String[] keys = {
      "uptimeAtAckMs", "cpuMs", "initMs", "firstSendMs", "classesLoaded", "peakRssKb", "peakRssWarmKb", "heapAfterGcKb"
    };
    for (int r = 0; r < runs; r++) {
      for (int i = 0; i < START_MODES.length; i++) {
        String mode = START_MODES[(i + r) % START_MODES.length];
        JsonNode n = child(b, mode, List.of("start", TOPIC, Integer.toString(warm)), r);
        Map<String, List<Double>> f = figures.computeIfAbsent(mode, k -> new LinkedHashMap<>());
        for (String k : keys) {
          f.computeIfAbsent(k, x -> new ArrayList<>()).add(n.get(k).asDouble());
        }
      }
      b.progress("cold start round %d of %d", r + 1, runs);
    }
    Section s =
        new Section("cold-start", "4. Cold start: a fresh JVM to the first acknowledged record")
            .text(
                "Each run is a fresh JVM with the options of Lambda's Java runtimes (`"
                    + String.join(" ", Child.LAMBDA_JVM_OPTIONS)
                    + "`), started from its own deployment-sized jar (`handwired-lambda.jar` or"
                    + " `sdk-lambda.jar`), credentials and settings in environment variables as on"
                    + " Lambda. *Init* builds the producer (what a handler does in its constructor or"
                    + " a static field); *first send* is from then to the first acknowledgement"
                    + " (connection, TLS, IAM, metadata, produce). *JVM uptime at ack* counts from the"
                    + " JVM's start; *process CPU at ack* is the CPU time of all its threads (the JIT"
                    + " compiler's and the GC's included) until then, from `/proc/self/stat` (in ticks"
                    + " of 10 ms): where it is above the uptime, the JVM used both cores. Peak RSS is Linux's VmHWM at the first acknowledgement; the"
                    + " heap is measured after "
                    + Stats.fmt(warm, 0)
                    + " more records of 1 KiB and two full GCs. `lambda`: `LambdaProducer` built at"
                    + " init, the record sent in its first invocation (which builds the Kafka client"
                    + " and warms the topic's metadata); `lambda-primed`: the same after the"
                    + " SnapStart hooks ran at init (classes of the send path loaded, no connection"
                    + " kept), which is what a SnapStart snapshot restores. "
                    + runs
                    + " runs of each mode, alternated.")
            .table(
                null,
                "",
                "JVM uptime at ack, ms",
                "process CPU at ack, ms",
                "init, ms",
                "first send, ms",
                "classes loaded",
                "peak RSS at ack, MB",
                "peak RSS warm, MB",
                "heap after warm-up, MB");
    Map<String, Object> json = new LinkedHashMap<>();
    for (String mode : START_MODES) {
      Map<String, List<Double>> f = figures.get(mode);
      s.row(
          label(mode),
          Stats.of(f.get("uptimeAtAckMs")).medianRange(0),
          Stats.of(f.get("cpuMs")).medianRange(0),
          Stats.of(f.get("initMs")).medianRange(0),
          Stats.of(f.get("firstSendMs")).medianRange(0),
          Stats.of(f.get("classesLoaded")).medianRange(0),
          mb(f.get("peakRssKb")),
          mb(f.get("peakRssWarmKb")),
          mb(f.get("heapAfterGcKb")));
      Map<String, Object> o = new LinkedHashMap<>();
      for (String k : keys) {
        o.put(k, Stats.of(f.get(k)).toMap());
      }
      json.put(mode, o);
    }
    double hand = Stats.of(figures.get("handwired").get("uptimeAtAckMs")).median();
    Map<String, Object> ratios = new LinkedHashMap<>();
    StringBuilder text = new StringBuilder("Ratios of the median JVM uptime at the first acknowledgement to hand-wired's:");
    for (String mode : START_MODES) {
      if (!mode.equals("handwired")) {
        double ratio = Stats.of(figures.get(mode).get("uptimeAtAckMs")).median() / hand;
        ratios.put(mode, Stats.round(ratio));
        text.append(' ').append(label(mode)).append(" **").append(Stats.fmt(ratio, 2)).append("**;");
      }
    }
    text.setLength(text.length() - 1);
    s.text(text + " (lower is faster).");
    return s.put("modes", json).put("uptimeAtAckRatios", ratios);
  }

  private static String mb(List<Double> kb) {
    List<Double> m = new ArrayList<>();
    for (double v : kb) {
      m.add(v / 1024);
    }
    return Stats.of(m).medianRange(0);
  }

  static String label(String mode) {
    switch (mode) {
      case "handwired":
        return "hand-wired";
      case "sdk":
        return "msk-producer";
      case "lambda":
        return "msk-producer-lambda";
      case "lambda-primed":
        return "msk-producer-lambda, primed";
      default:
        return mode;
    }
  }
}
