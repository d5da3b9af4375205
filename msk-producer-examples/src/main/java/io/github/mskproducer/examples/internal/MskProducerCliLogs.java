package io.github.mskproducer.examples.internal;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Log levels of the command line (slf4j-simple, configured by system properties). */
public final class MskProducerCliLogs {
  private static final List<String> KAFKA_LOGGERS = List.of("kafka", "org.apache.kafka", "state.change.logger");
  private static final String PREFIX = "org.slf4j.simpleLogger.log.";

  /** Levels the user set with {@code -D}, before the command touched any. */
  private static final Set<String> SET_BY_USER =
      KAFKA_LOGGERS.stream().map(l -> PREFIX + l).filter(k -> System.getProperty(k) != null).collect(Collectors.toSet());

  private MskProducerCliLogs() {}

  /**
   * Sets the level of the Kafka loggers (clients and the local broker), except those the user
   * set with {@code -Dorg.slf4j.simpleLogger.log.<name>=...}. Takes effect for loggers not yet
   * created, which is all of them while options are parsed.
   *
   * @param level e.g. {@code error}
   */
  public static void kafka(String level) {
    for (String logger : KAFKA_LOGGERS) {
      if (!SET_BY_USER.contains(PREFIX + logger)) {
        System.setProperty(PREFIX + logger, level);
      }
    }
  }
}
