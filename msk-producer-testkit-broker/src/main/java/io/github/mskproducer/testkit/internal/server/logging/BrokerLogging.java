package io.github.mskproducer.testkit.internal.server.logging;

import io.github.mskproducer.testkit.internal.control.ServerClasses;
import java.io.PrintStream;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.function.BiPredicate;
import java.util.function.Consumer;

/**
 * Where the broker's log lines go. The broker's class loader has SLF4J with {@link
 * BrokerServiceProvider} as its only provider, which asks this class.
 *
 * <p>In the test's JVM the testkit {@link #configure connects} it to the test's own logging
 * through JDK types: a gate (is this logger enabled at this level?) and a sink (log this). In a
 * child-process node nothing is connected and lines go to standard error, which the node's
 * {@code broker.log} receives.
 *
 * <p>Kafka's own loggers (everything not under {@value #OWN_PREFIX}) are cut at a threshold,
 * WARN unless asked otherwise: a broker's INFO lines are thousands per test run. The testkit's
 * own broker-side loggers (why a token was refused, at DEBUG) are left to the test's logging
 * configuration.
 */
public final class BrokerLogging {
  /** The system property a child-process node reads its threshold from. */
  public static final String LEVEL_PROPERTY = ServerClasses.LOG_LEVEL_PROPERTY;

  static final String OWN_PREFIX = "io.github.mskproducer.";

  // SLF4J's level numbers.
  static final int TRACE = 0;
  static final int DEBUG = 10;
  static final int INFO = 20;
  static final int WARN = 30;
  static final int ERROR = 40;
  static final int OFF = Integer.MAX_VALUE;

  private static volatile int threshold = parse(System.getProperty(LEVEL_PROPERTY), WARN);
  private static volatile BiPredicate<String, Integer> gate;
  private static volatile Consumer<Object[]> sink;

  private BrokerLogging() {}

  /**
   * Connects the broker's logging to the test's. Called by the testkit through reflection,
   * hence JDK types only.
   *
   * @param level the threshold for Kafka's loggers: {@code TRACE}, {@code DEBUG}, {@code INFO},
   *     {@code WARN}, {@code ERROR} or {@code OFF}
   * @param enabled whether the test's logger of this name logs at this SLF4J level number
   * @param log logs {@code {logger name, Integer level, String message, Throwable or null}}
   */
  public static void configure(
      String level, BiPredicate<String, Integer> enabled, Consumer<Object[]> log) {
    threshold = parse(level, WARN);
    gate = enabled;
    sink = log;
  }

  static boolean enabled(String logger, int level) {
    boolean own = logger.startsWith(OWN_PREFIX);
    if (!own && level < threshold) {
      return false;
    }
    BiPredicate<String, Integer> g = gate;
    return g == null ? level >= threshold : g.test(logger, level);
  }

  /**
   * Kafka warnings every healthy local broker prints (a fresh cluster's first activation; a
   * client closed twice at shutdown; in a cluster of several nodes, a node's connections to the
   * others while they start, stop or are stopped by the test): told at INFO, so that a test run
   * shows no warning at all unless something is wrong. The test's own clients log through their
   * own loggers, which this does not touch.
   */
  private static final List<String> ROUTINE_WARNINGS =
      List.of(
          "Performing controller activation.",
          "Attempting to close NetworkClient that has already been closed.",
          "could not be established. Node may not be available.",
          "could not be established. Broker may not be available.");

  /**
   * An ERROR a healthy single-node cluster prints now and then while starting: the node's
   * controller registration reaches the controller before it is ready, and Kafka's
   * registration manager sends it again (seen once in about 30 starts; the broker then ran every
   * test). Told at INFO, with its exception, like the warnings above.
   */
  private static final String ROUTINE_STARTUP_ERROR =
      "Unexpected error handling request RequestHeader(apiKey=CONTROLLER_REGISTRATION";

  /**
   * An ERROR a cluster of several nodes prints at its stop now and then: a node's Raft client
   * gives up waiting for the others, which stop at the same moment (seen with a three-node
   * cluster whose test passed). Told at INFO, with its exception.
   */
  private static final String ROUTINE_SHUTDOWN_ERROR = "Graceful shutdown of RaftClient failed";

  static boolean routine(int level, String message) {
    if (level == ERROR) {
      return message.contains(ROUTINE_STARTUP_ERROR) || message.contains(ROUTINE_SHUTDOWN_ERROR);
    }
    if (level != WARN) {
      return false;
    }
    for (String w : ROUTINE_WARNINGS) {
      if (message.contains(w)) {
        return true;
      }
    }
    return false;
  }

  static void log(String logger, int level, String message, Throwable t) {
    Consumer<Object[]> s = sink;
    if (s != null) {
      s.accept(new Object[] {logger, level, message, t});
      return;
    }
    PrintStream err = System.err;
    synchronized (err) {
      err.println(
          LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
              + " "
              + name(level)
              + " "
              + logger
              + " - "
              + message);
      if (t != null) {
        t.printStackTrace(err);
      }
    }
  }

  static int parse(String level, int fallback) {
    if (level == null || level.isBlank()) {
      return fallback;
    }
    switch (level.trim().toUpperCase(Locale.ROOT)) {
      case "TRACE":
      case "ALL":
        return TRACE;
      case "DEBUG":
        return DEBUG;
      case "INFO":
        return INFO;
      case "WARN":
      case "WARNING":
        return WARN;
      case "ERROR":
        return ERROR;
      case "OFF":
        return OFF;
      default:
        return fallback;
    }
  }

  private static String name(int level) {
    return level >= ERROR ? "ERROR" : level >= WARN ? "WARN" : level >= INFO ? "INFO" : level >= DEBUG ? "DEBUG" : "TRACE";
  }
}
