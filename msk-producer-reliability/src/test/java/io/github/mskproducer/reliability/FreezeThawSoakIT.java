package io.github.mskproducer.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mskproducer.lambda.freeze.FreezeRun;
import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.LocalMskBrokerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 6: the Lambda module through 30 real freezes (200 in soak mode; SIGSTOP of the
 * function's JVM, run by the real Lambda runtime client against a local Runtime API), each of a
 * random length, each with a random fault on the broker connections meanwhile: none, silently
 * dropped (blackhole), reset, or every byte delayed during the next invocation. Every record is
 * acknowledged, exactly once in the log; the figures give the first send after each thaw, p50
 * and p99, per fault.
 */
@Order(6)
class FreezeThawSoakIT {
  private static final String TOPIC = "s6-freeze";
  private static final String NAME = "Freeze/thaw soak (Lambda)";
  private static final int RECORDS = 10;
  /** The function's thaw threshold here (240 s by default): longer freezes recycle the producer. */
  private static final Duration THAW_THRESHOLD = Duration.ofSeconds(1);

  @RegisterExtension
  static final LocalMskBrokerExtension MSK =
      LocalMskBrokerExtension.perClass(
          b ->
              b.proxied(true)
                  .mode(LocalMskBroker.Mode.CHILD_PROCESS)
                  .connectionsMaxIdle(Duration.ofSeconds(3))
                  .maxTokenLifetime(Duration.ofSeconds(4))
                  .topic(TOPIC, 1));

  @TempDir static Path dir;

  @Test
  void randomFreezesWithRandomFaults_everyRecordOnce() throws Exception {
    LocalMskBroker msk = MSK.broker();
    SecretScan.register(msk);
    int cycles = Soak.count(30, 200);
    long seed = Long.getLong("reliability.seed", System.currentTimeMillis());
    System.out.println("freeze/thaw soak: seed " + seed + " (rerun with -Dreliability.seed=" + seed + ")");
    Random random = new Random(seed);
    List<FreezeRun.Cycle> plan = new ArrayList<>();
    for (int c = 0; c < cycles; c++) {
      Duration freeze = Duration.ofMillis(200 + random.nextInt(2_800)); // 0.2 to 3 s
      FreezeRun.Fault fault = FreezeRun.Fault.values()[random.nextInt(FreezeRun.Fault.values().length)];
      plan.add(new FreezeRun.Cycle(freeze, fault));
    }
    // The function's JVM logs at TRACE too, to its log file, which is scanned for secrets.
    Path logback = dir.resolve("function-logback.xml");
    Files.writeString(
        logback,
        "<configuration><appender name=\"OUT\" class=\"ch.qos.logback.core.ConsoleAppender\"><encoder>"
            + "<pattern>%d{HH:mm:ss.SSS} [%thread] %-5level %logger{36} - %msg%n</pattern></encoder></appender>"
            + "<root level=\"TRACE\"><appender-ref ref=\"OUT\"/></root></configuration>");
    Path log = Path.of(System.getProperty("reliability.out", "target/reliability"), "freeze-function.log");
    Files.createDirectories(log.getParent());
    // CI: the Lambda defaults' timeouts halved (request 2.5 s, delivery 7.5 s: the same 1:3
    // ratio), so that a freeze that kills the connections costs half the time; soak mode runs
    // the defaults themselves (5 s, 15 s).
    Map<String, String> environment = new java.util.HashMap<>();
    environment.put("FREEZE_THAW_THRESHOLD_MS", Long.toString(THAW_THRESHOLD.toMillis()));
    if (!Soak.on()) {
      environment.put("MSK_REQUEST_TIMEOUT_MS", "2500");
      environment.put("MSK_DELIVERY_TIMEOUT_MS", "7500");
    }
    String timeoutsNote = Soak.on() ? "Lambda default timeouts (request 5 s, delivery 15 s)" : "timeouts request 2.5 s, delivery 7.5 s";
    long t0 = System.nanoTime();
    FreezeRun.Result r =
        FreezeRun.run(
            msk, "module", TOPIC, plan, RECORDS, 5000, classPath(), List.of("-Dlogback.configurationFile=" + logback), environment, log);
    Duration took = Duration.ofNanos(System.nanoTime() - t0);

    List<JsonNode> responses = r.responses();
    assertThat(responses).hasSize(cycles + 1);
    long acknowledged = 0;
    long failed = 0;
    long pending = 0;
    for (JsonNode response : responses) {
      acknowledged += response.get("acknowledged").asLong();
      failed += response.get("failed").asLong();
      pending += response.get("pending").asLong();
    }
    Map<String, Integer> arrived = Arrivals.values(msk, TOPIC, Duration.ofMinutes(1));
    long sent = (long) (cycles + 1) * RECORDS;
    long lost = 0;
    for (int c = 1; c <= cycles + 1; c++) {
      for (int i = 0; i < RECORDS; i++) {
        if (!arrived.containsKey("m-" + c + "-" + i)) {
          lost++;
        }
      }
    }
    long duplicated = arrived.values().stream().mapToLong(n -> n - 1).sum();
    Outcome o = new Outcome(sent, acknowledged, failed, pending, lost, duplicated, arrived.size() - (sent - lost), 0, 0);

    List<Long> all = r.firstAckAfterThawMs();
    Map<FreezeRun.Fault, List<Long>> byFault = new EnumMap<>(FreezeRun.Fault.class);
    List<Long> shortBlackholes = new ArrayList<>();
    for (int c = 0; c < cycles; c++) {
      FreezeRun.Cycle cycle = plan.get(c);
      byFault.computeIfAbsent(cycle.fault(), f -> new ArrayList<>()).add(all.get(c));
      if (cycle.fault() == FreezeRun.Fault.BLACKHOLE && cycle.freeze().compareTo(THAW_THRESHOLD) < 0) {
        shortBlackholes.add(all.get(c));
      }
    }
    StringBuilder perFault = new StringBuilder();
    byFault.forEach(
        (f, ms) ->
            perFault.append(String.format(Locale.ROOT, "; %s (%d): p50 %d ms, p99 %d ms", f.name().toLowerCase(Locale.ROOT), ms.size(), pct(ms, 50), pct(ms, 99))));
    List<String> leaks = SecretScan.scan("the function's log", r.log());
    Figures.write(
        "6",
        NAME,
        o,
        took,
        String.format(
            Locale.ROOT,
            "%d freezes of 0.2-3 s (seed %d), thaw threshold %.0f s, %s; first send after a thaw: p50 %d ms, p99 %d ms, max %d ms%s; of which blackholed freezes shorter than the threshold (connections kept, each dead one found by a request timeout): %d, max %d ms; function log at TRACE: %,d lines, %d secrets",
            cycles, seed, THAW_THRESHOLD.toMillis() / 1000.0, timeoutsNote, pct(all, 50), pct(all, 99), all.stream().mapToLong(Long::longValue).max().orElse(0), perFault,
            shortBlackholes.size(), shortBlackholes.stream().mapToLong(Long::longValue).max().orElse(0), r.log().lines().count(), leaks.size()));

    assertThat(r.initError()).isFalse();
    assertThat(o.acknowledged()).as("every record acknowledged in its invocation").isEqualTo(sent);
    assertThat(o.failed()).isZero();
    assertThat(o.pending()).isZero();
    assertThat(o.lost()).isZero();
    assertThat(o.duplicated()).isZero();
    assertThat(o.unknown()).isZero();
    assertThat(leaks).as("secrets in the function's log").isEmpty();
    Figures.assertDocumented("6", NAME);
  }

  private static long pct(List<Long> values, double p) {
    if (values.isEmpty()) {
      return -1;
    }
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  private static String classPath() {
    String failsafe = System.getProperty("surefire.test.class.path");
    return failsafe != null && !failsafe.isBlank() ? failsafe : System.getProperty("java.class.path");
  }
}
