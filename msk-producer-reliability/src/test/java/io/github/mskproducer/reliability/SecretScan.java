package io.github.mskproducer.reliability;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.AppenderBase;
import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.TestIdentity;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The suite's log appender: every event of this JVM, at TRACE (see logback-test.xml), is
 * formatted as a log file would hold it (message, exceptions, causes, stack traces) and searched
 * for secrets: every secret key and session token the suite registered, and the markers of an
 * IAM token (its base64url prefix, a SigV4 signature or security token parameter). Scenario 8
 * fails if any event held one. The brokers run in their own JVMs, so this is the client side.
 */
public final class SecretScan extends AppenderBase<ILoggingEvent> {
  /** base64url of "https://kafka.": every MSK IAM token starts with it. */
  static final String TOKEN_PREFIX = "aHR0cHM6Ly9rYWZrYS4";

  private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();
  private static final List<String> MARKERS =
      List.of(TOKEN_PREFIX, "X-Amz-Signature=", "X-Amz-Security-Token=", "x-amz-signature=");
  private static final AtomicLong EVENTS = new AtomicLong();
  private static final AtomicLong TRACE_EVENTS = new AtomicLong();
  private static final AtomicLong CHARACTERS = new AtomicLong();
  private static final List<String> FINDINGS = new ArrayList<>();
  /** Phrases a scenario counts in the log (e.g. a broker error code the client retried). */
  private static final java.util.Map<String, AtomicLong> WATCHED = new ConcurrentHashMap<>();

  /** Starts counting the log events that contain {@code phrase}; returns the counter. */
  static AtomicLong watch(String phrase) {
    return WATCHED.computeIfAbsent(phrase, p -> new AtomicLong());
  }

  /** Adds an identity's secret key and session token to what the scan looks for. */
  static void register(TestIdentity id) {
    SECRETS.add(id.secretAccessKey());
    id.sessionToken().ifPresent(SECRETS::add);
  }

  /** Registers every identity the broker knows now. */
  static void register(LocalMskBroker msk) {
    msk.identities().forEach(SecretScan::register);
  }

  static long events() {
    return EVENTS.get();
  }

  static long traceEvents() {
    return TRACE_EVENTS.get();
  }

  static long characters() {
    return CHARACTERS.get();
  }

  static int secretsWatched() {
    return SECRETS.size();
  }

  static synchronized List<String> findings() {
    return new ArrayList<>(FINDINGS);
  }

  /** Scans text from elsewhere (a child JVM's log, an exception) the same way. */
  static List<String> scan(String where, String text) {
    List<String> found = new ArrayList<>();
    for (String s : SECRETS) {
      if (text.contains(s)) {
        found.add(where + ": a registered secret");
      }
    }
    for (String m : MARKERS) {
      if (text.contains(m)) {
        found.add(where + ": " + m);
      }
    }
    return found;
  }

  /** Scans text that is not a log event (an exception a caller got) and keeps what it found. */
  static void check(String where, String text) {
    List<String> found = scan(where, text);
    if (!found.isEmpty()) {
      synchronized (SecretScan.class) {
        FINDINGS.addAll(found);
      }
    }
  }

  @Override
  protected void append(ILoggingEvent e) {
    StringBuilder sb = new StringBuilder(256).append(e.getLoggerName()).append(' ').append(e.getFormattedMessage());
    for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
      sb.append('\n').append(t.getClassName()).append(": ").append(t.getMessage());
      for (StackTraceElementProxy s : t.getStackTraceElementProxyArray()) {
        sb.append('\n').append(s.getSTEAsString());
      }
    }
    EVENTS.incrementAndGet();
    if (e.getLevel().toInt() == ch.qos.logback.classic.Level.TRACE_INT) {
      TRACE_EVENTS.incrementAndGet();
    }
    CHARACTERS.addAndGet(sb.length());
    if (!WATCHED.isEmpty()) {
      String text = sb.toString();
      WATCHED.forEach((phrase, n) -> {
        if (text.contains(phrase)) {
          n.incrementAndGet();
        }
      });
    }
    List<String> found = scan(e.getLevel() + " " + e.getLoggerName(), sb.toString());
    if (!found.isEmpty()) {
      synchronized (SecretScan.class) {
        FINDINGS.addAll(found); // where only: never the line itself
      }
    }
  }
}
