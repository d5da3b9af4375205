package io.github.mskproducer.testkit.internal.server.logging;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J provider of the broker's class loader (registered only there, never on the test's
 * class path): every logger asks {@link BrokerLogging}.
 */
public final class BrokerServiceProvider implements SLF4JServiceProvider {
  private final ILoggerFactory loggers = new Loggers();
  private final IMarkerFactory markers = new BasicMarkerFactory();
  private final MDCAdapter mdc = new NOPMDCAdapter();

  @Override
  public ILoggerFactory getLoggerFactory() {
    return loggers;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }

  @Override
  public void initialize() {}

  private static final class Loggers implements ILoggerFactory {
    private final Map<String, Logger> byName = new ConcurrentHashMap<>();

    @Override
    public Logger getLogger(String name) {
      return byName.computeIfAbsent(name, BrokerLogger::new);
    }
  }

  private static final class BrokerLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;

    BrokerLogger(String name) {
      this.name = name;
    }

    @Override
    public boolean isTraceEnabled() {
      return BrokerLogging.enabled(name, BrokerLogging.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
      return BrokerLogging.enabled(name, BrokerLogging.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
      return BrokerLogging.enabled(name, BrokerLogging.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
      return BrokerLogging.enabled(name, BrokerLogging.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
      return BrokerLogging.enabled(name, BrokerLogging.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(
        Level level, Marker marker, String pattern, Object[] arguments, Throwable throwable) {
      String message = MessageFormatter.basicArrayFormat(pattern, arguments);
      int at = level.toInt();
      if (BrokerLogging.routine(at, message)) {
        if (!BrokerLogging.enabled(name, BrokerLogging.INFO)) {
          return;
        }
        at = BrokerLogging.INFO;
      }
      BrokerLogging.log(name, at, message, throwable);
    }
  }
}
