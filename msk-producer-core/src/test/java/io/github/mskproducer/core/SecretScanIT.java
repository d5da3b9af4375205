package io.github.mskproducer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AppenderBase;
import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.LocalMskBrokerExtension;
import io.github.mskproducer.testkit.TestIdentity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * No secret anywhere a person can read it: every log line at TRACE (ours, Kafka's, the AWS
 * SDK's), exception messages and toString()s, across connects, re-authentications and failures.
 * The broker runs in its own JVM, so what is captured here is the client side only.
 */
class SecretScanIT {
  /** base64url of "https://kafka.": every MSK IAM token starts with it. */
  private static final String TOKEN_PREFIX = "aHR0cHM6Ly9rYWZrYS4";

  @RegisterExtension
  static final LocalMskBrokerExtension MSK =
      LocalMskBrokerExtension.perClass(
          b ->
              b.mode(LocalMskBroker.Mode.CHILD_PROCESS)
                  .identity(TestIdentity.randomWithSessionToken("scanned"))
                  .connectionsMaxReauth(Duration.ofSeconds(2))
                  .topic("secrets", 1));

  /** Keeps every event's formatted message and stack traces. */
  private static final class Capture extends AppenderBase<ILoggingEvent> {
    final List<String> lines = new ArrayList<>();

    @Override
    protected synchronized void append(ILoggingEvent e) {
      StringBuilder sb = new StringBuilder(e.getLoggerName()).append(' ').append(e.getFormattedMessage());
      for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
        sb.append('\n').append(t.getClassName()).append(": ").append(t.getMessage());
        for (StackTraceElementProxy s : t.getStackTraceElementProxyArray()) {
          sb.append('\n').append(s.getSTEAsString());
        }
      }
      lines.add(sb.toString());
    }

    synchronized List<String> snapshot() {
      return new ArrayList<>(lines);
    }
  }

  @Test
  void noSecretInAnyLogLineExceptionOrToString_atTrace() throws Exception {
    LocalMskBroker msk = MSK.broker();
    TestIdentity identity = msk.identity("scanned");
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Level before = root.getLevel();
    Capture capture = new Capture();
    capture.setContext(context);
    capture.start();
    // Only the capture hears TRACE: the console would drown the build log.
    List<Appender<ILoggingEvent>> consoles = new ArrayList<>();
    root.iteratorForAppenders().forEachRemaining(consoles::add);
    consoles.forEach(root::detachAppender);
    root.addAppender(capture);
    root.setLevel(Level.TRACE);
    List<String> surfaces = new ArrayList<>();
    try {
      // Connects and re-authentications (every 2 s).
      try (MskProducer<String, String> producer =
          LocalMsk.producer(msk)
              .auth(MskAuth.iam(c -> c.credentialsProvider(msk.credentialsProvider("scanned"))))
              .build()) {
        surfaces.add(producer.toString());
        long end = System.nanoTime() + Duration.ofSeconds(7).toNanos();
        while (System.nanoTime() < end) {
          producer.sendAndWait("secrets", "k", "v", Duration.ofSeconds(30));
        }
        assertThat(LocalMsk.metric(producer, "successful-reauthentication-total")).isGreaterThanOrEqualTo(2);
      }
      // Failures: a wrong secret; static keys in the configuration.
      try (MskProducer<String, String> wrong =
          LocalMsk.producer(msk)
              .auth(
                  MskAuth.iam(
                      c ->
                          c.staticCredentials(
                              identity.accessKeyId(), identity.secretAccessKey() + "x", identity.sessionToken().get())))
              .timeouts(t -> t.maxBlock(Duration.ofSeconds(5)))
              .build()) {
        surfaces.add(wrong.toString());
        Throwable failure = catchThrowable(() -> wrong.sendAndWait("secrets", "k", "v", Duration.ofSeconds(30)));
        assertThat(failure).isInstanceOf(MskAuthenticationException.class);
        for (Throwable t = failure; t != null; t = t.getCause()) {
          surfaces.add(t.toString());
        }
      }
    } finally {
      root.setLevel(before);
      root.detachAppender(capture);
      consoles.forEach(root::addAppender);
    }

    List<String> lines = capture.snapshot();
    assertThat(lines.size()).as("TRACE lines captured").isGreaterThan(1000);
    lines.addAll(surfaces);
    String[] secrets = {
      identity.secretAccessKey(), identity.sessionToken().get(), TOKEN_PREFIX, "X-Amz-Signature=", "X-Amz-Security-Token="
    };
    for (String line : lines) {
      for (String secret : secrets) {
        assertThat(line).as("a log line, exception or toString").doesNotContain(secret);
      }
    }
  }

}
