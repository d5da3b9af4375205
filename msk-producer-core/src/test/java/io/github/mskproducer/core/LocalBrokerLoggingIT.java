package io.github.mskproducer.core;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.LocalMskBrokerBuilder;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The testkit's broker, as a user of it sees its logging: Kafka's lines arrive in the user's
 * SLF4J logging (here Logback), at WARN and above only unless asked, and a healthy start and
 * restart warns of nothing.
 */
class LocalBrokerLoggingIT {
  private static final List<String> BROKER_LOGGERS =
      List.of(
          "kafka.",
          "org.apache.kafka.controller",
          "org.apache.kafka.raft",
          "org.apache.kafka.storage",
          "org.apache.kafka.server",
          "org.apache.kafka.metadata",
          "org.apache.kafka.image",
          "org.apache.kafka.coordinator");

  @Test
  void byDefault_aHealthyBrokerLogsNothing_evenToALoggingSetToTrace() {
    List<ILoggingEvent> events = brokerEvents(b -> {});
    assertThat(events)
        .as("broker lines reaching a root logger at TRACE: %s", describe(events))
        .isEmpty();
  }

  @Test
  void kafkaLogLevelInfo_letsKafkasInfoLinesThrough() {
    try {
      List<ILoggingEvent> events = brokerEvents(b -> b.kafkaLogLevel(System.Logger.Level.INFO));
      assertThat(events).extracting(ILoggingEvent::getLevel).contains(Level.INFO).doesNotContain(Level.DEBUG);
      assertThat(events).extracting(ILoggingEvent::getLoggerName).anyMatch(n -> n.startsWith("kafka.server"));
    } finally {
      // Brokers in one JVM share the setting (the last started wins): give it back to the rest.
      LocalMskBroker.builder().build().start().close();
    }
  }

  private static List<ILoggingEvent> brokerEvents(Consumer<LocalMskBrokerBuilder> options) {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Level saved = root.getLevel();
    // Only the list hears this test at TRACE, not the build's console.
    List<ch.qos.logback.core.Appender<ILoggingEvent>> console = new java.util.ArrayList<>();
    root.iteratorForAppenders().forEachRemaining(console::add);
    console.forEach(root::detachAppender);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    root.addAppender(appender);
    root.setLevel(Level.TRACE);
    try {
      LocalMskBrokerBuilder b = LocalMskBroker.builder().topic("quiet", 1);
      options.accept(b);
      try (LocalMskBroker msk = b.start()) {
        msk.restart();
      }
    } finally {
      root.setLevel(saved);
      root.detachAppender(appender);
      console.forEach(root::addAppender);
    }
    return appender.list.stream()
        .filter(e -> BROKER_LOGGERS.stream().anyMatch(p -> e.getLoggerName().startsWith(p)))
        .collect(Collectors.toList());
  }

  private static String describe(List<ILoggingEvent> events) {
    return events.stream()
        .limit(10)
        .map(e -> e.getLevel() + " " + e.getLoggerName() + " " + e.getFormattedMessage())
        .collect(Collectors.joining("\n"));
  }
}
