package io.github.mskproducer.lambda.freeze;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.TestIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The real-freeze harness, shared by {@code RealFreezeIT} and the benchmarks: a child JVM runs
 * {@link FreezeHandler} through the Lambda runtime interface client against a {@link
 * LocalRuntimeApi}; after each invocation the child is frozen with SIGSTOP while the broker's
 * proxy silently drops every established connection, then thawed with SIGCONT for the next.
 *
 * <p>The broker must be {@code proxied(true)}; its idle timeout and token lifetime should be
 * shorter than the freeze, so that a thaw finds what a long Lambda freeze leaves.
 */
public final class FreezeRun {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What a run saw.
   *
   * @param responses the function's responses, one per invocation (the first before any freeze)
   * @param log the child JVM's output
   * @param initError whether the runtime client reported an init error
   */
  public record Result(List<JsonNode> responses, String log, boolean initError) {
    /**
     * The first acknowledgement after each thaw, in milliseconds from the invocation's start.
     *
     * @return one per freeze, in order
     */
    public List<Long> firstAckAfterThawMs() {
      List<Long> ms = new ArrayList<>();
      for (int i = 1; i < responses.size(); i++) {
        ms.add(responses.get(i).get("firstAckMs").asLong());
      }
      return ms;
    }
  }

  /** What happens to the broker connections while the function is frozen. */
  public enum Fault {
    /** Nothing: the connections survive the freeze. */
    NONE,
    /** Established connections go silent (a NAT or load balancer forgot them). */
    BLACKHOLE,
    /** Established connections are reset. */
    RESET,
    /** Every byte is delayed by {@link #DELAY_BY} during the next invocation. */
    DELAY;

    /** How much {@link #DELAY} delays each byte. */
    public static final Duration DELAY_BY = Duration.ofMillis(100);
  }

  /**
   * One freeze.
   *
   * @param freeze how long the function stays frozen
   * @param fault what happens to its connections meanwhile
   */
  public record Cycle(Duration freeze, Fault fault) {}

  private FreezeRun() {}

  /**
   * Runs invocation 1, then {@code cycles} times: freeze, blackhole, thaw, next invocation. In
   * {@code module} mode, then sends SIGTERM (as Lambda does at shutdown) and waits for the exit.
   *
   * @param msk the broker, proxied
   * @param mode {@code module} (msk-producer-lambda) or {@code control} (a plain reused
   *     KafkaProducer with aws-msk-iam-auth)
   * @param topic the topic
   * @param cycles how many freezes
   * @param records records per invocation
   * @param freeze how long each freeze lasts
   * @param controlRequestTimeoutMs the control producer's {@code request.timeout.ms}
   * @param classPath the child's class path: the Lambda module, its test classes, the runtime
   *     interface client, aws-msk-iam-auth
   * @param log where the child's output goes
   * @return the responses and the log
   * @throws Exception if the child cannot be run or does not answer
   */
  public static Result run(
      LocalMskBroker msk,
      String mode,
      String topic,
      int cycles,
      int records,
      Duration freeze,
      int controlRequestTimeoutMs,
      String classPath,
      Path log)
      throws Exception {
    List<Cycle> plan = new ArrayList<>();
    for (int c = 0; c < cycles; c++) {
      plan.add(new Cycle(freeze, Fault.BLACKHOLE));
    }
    return run(msk, mode, topic, plan, records, controlRequestTimeoutMs, classPath, List.of(), Map.of(), log);
  }

  /**
   * Like {@link #run(LocalMskBroker, String, String, int, int, Duration, int, String, Path)},
   * with a plan: each freeze its own length and fault.
   *
   * @param msk the broker, proxied
   * @param mode {@code module} or {@code control}
   * @param topic the topic
   * @param plan the freezes, in order
   * @param records records per invocation
   * @param controlRequestTimeoutMs the control producer's {@code request.timeout.ms}
   * @param classPath the child's class path
   * @param jvmOptions more options for the child JVM (e.g. its logging configuration)
   * @param environment more environment variables for the function (e.g. MSK_REQUEST_TIMEOUT_MS)
   * @param log where the child's output goes
   * @return the responses and the log
   * @throws Exception if the child cannot be run or does not answer
   */
  public static Result run(
      LocalMskBroker msk,
      String mode,
      String topic,
      List<Cycle> plan,
      int records,
      int controlRequestTimeoutMs,
      String classPath,
      List<String> jvmOptions,
      Map<String, String> environment,
      Path log)
      throws Exception {
    int cycles = plan.size();
    TestIdentity id = msk.identity();
    List<JsonNode> responses = new ArrayList<>();
    boolean initError;
    try (LocalRuntimeApi api = new LocalRuntimeApi()) {
      ProcessBuilder pb =
          new ProcessBuilder(command(classPath, jvmOptions))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      Map<String, String> env = pb.environment();
      env.keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("MSK_"));
      Map<String, String> lambda = new HashMap<>();
      lambda.put("AWS_LAMBDA_RUNTIME_API", api.address());
      lambda.put("AWS_LAMBDA_FUNCTION_NAME", "freeze-test");
      lambda.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
      lambda.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512");
      lambda.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/freeze-test");
      lambda.put("AWS_LAMBDA_LOG_STREAM_NAME", "local");
      lambda.put("AWS_REGION", msk.region());
      lambda.put("AWS_ACCESS_KEY_ID", id.accessKeyId());
      lambda.put("AWS_SECRET_ACCESS_KEY", id.secretAccessKey());
      lambda.put("MSK_BOOTSTRAP_SERVERS", msk.bootstrapServers());
      lambda.put("MSK_TRUSTSTORE", msk.truststorePem().toString());
      lambda.put("FREEZE_MODE", mode);
      lambda.put("FREEZE_TOPIC", topic);
      lambda.put("FREEZE_THAW_THRESHOLD_MS", "2000");
      lambda.put("CONTROL_REQUEST_TIMEOUT_MS", Integer.toString(controlRequestTimeoutMs));
      lambda.putAll(environment);
      env.putAll(lambda);
      Process child = pb.start();
      try {
        for (int c = 1; c <= cycles + 1; c++) {
          String event = "{\"invocation\":\"" + c + "\",\"records\":\"" + records + "\"}";
          String response;
          try {
            response = api.invoke(event, Duration.ofSeconds(60)).get(180, TimeUnit.SECONDS);
          } catch (TimeoutException e) {
            throw new IllegalStateException("no response to invocation " + c + "; the child's log:\n" + tail(log), e);
          }
          responses.add(JSON.readTree(response));
          msk.proxy(1).delay(Duration.ZERO);
          if (c <= cycles) {
            Cycle cycle = plan.get(c - 1);
            signal(child, "STOP");
            switch (cycle.fault()) {
              case BLACKHOLE:
                msk.proxy(1).blackholeExisting();
                break;
              case RESET:
                msk.proxy(1).resetExisting();
                break;
              case DELAY:
                msk.proxy(1).delay(Fault.DELAY_BY);
                break;
              default:
                break;
            }
            Thread.sleep(cycle.freeze().toMillis()); // the freeze itself: nothing to wait for
            signal(child, "CONT");
          }
        }
        if (mode.equals("module")) {
          child.destroy(); // SIGTERM, as Lambda sends at shutdown
          if (!child.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the child did not exit after SIGTERM");
          }
        }
      } finally {
        child.destroyForcibly();
        child.waitFor(30, TimeUnit.SECONDS);
      }
      initError = api.initError.isDone();
    }
    return new Result(responses, Files.readString(log), initError);
  }

  private static List<String> command(String classPath, List<String> jvmOptions) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx256m");
    cmd.add("-XX:+UseSerialGC");
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(classPath);
    cmd.add("com.amazonaws.services.lambda.runtime.api.client.AWSLambda");
    cmd.add(FreezeHandler.class.getName() + "::handleRequest");
    return cmd;
  }

  private static void signal(Process p, String signal) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill -" + signal + " failed");
    }
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
  }
}
