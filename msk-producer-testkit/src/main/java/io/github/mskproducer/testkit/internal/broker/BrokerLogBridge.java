package io.github.mskproducer.testkit.internal.broker;

import io.github.mskproducer.testkit.internal.control.ServerClasses;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries the log lines of brokers in this JVM (which log through SLF4J in their own class
 * loader) into the test's SLF4J logging, under the same logger names. The broker side lets
 * Kafka's own lines through only at or above the configured level (WARN by default).
 */
final class BrokerLogBridge implements BiPredicate<String, Integer>, Consumer<Object[]> {
  private static final BrokerLogBridge INSTANCE = new BrokerLogBridge();

  private BrokerLogBridge() {}

  static void connect(BrokerRuntime runtime, String kafkaLogLevel) {
    // The test's logging starts here, on the test's thread and class loader, never first on a
    // broker thread (whose context class loader is the broker's).
    LoggerFactory.getILoggerFactory();
    runtime.call(
        ServerClasses.LOGGING,
        "configure",
        new Class<?>[] {String.class, BiPredicate.class, Consumer.class},
        kafkaLogLevel,
        INSTANCE,
        INSTANCE);
  }

  /** Whether the test's logger of this name logs at this SLF4J level number. */
  @Override
  public boolean test(String name, Integer level) {
    return inTestsLoader(() -> enabled(name, level));
  }

  /** Logs {@code {logger name, level number, message, throwable or null}}. */
  @Override
  public void accept(Object[] line) {
    inTestsLoader(
        () -> {
          log(line);
          return true;
        });
  }

  /** Calls into the test's logging with the test's class loader as the context class loader. */
  private static boolean inTestsLoader(java.util.function.BooleanSupplier call) {
    Thread t = Thread.currentThread();
    ClassLoader saved = t.getContextClassLoader();
    t.setContextClassLoader(BrokerLogBridge.class.getClassLoader());
    try {
      return call.getAsBoolean();
    } finally {
      t.setContextClassLoader(saved);
    }
  }

  private static boolean enabled(String name, int level) {
    Logger log = LoggerFactory.getLogger(name);
    switch (level) {
      case 0:
        return log.isTraceEnabled();
      case 10:
        return log.isDebugEnabled();
      case 20:
        return log.isInfoEnabled();
      case 30:
        return log.isWarnEnabled();
      default:
        return log.isErrorEnabled();
    }
  }

  private static void log(Object[] line) {
    Logger log = LoggerFactory.getLogger((String) line[0]);
    String message = (String) line[2];
    Throwable t = (Throwable) line[3];
    switch ((Integer) line[1]) {
      case 0:
        log.trace(message, t);
        break;
      case 10:
        log.debug(message, t);
        break;
      case 20:
        log.info(message, t);
        break;
      case 30:
        log.warn(message, t);
        break;
      default:
        log.error(message, t);
        break;
    }
  }
}
