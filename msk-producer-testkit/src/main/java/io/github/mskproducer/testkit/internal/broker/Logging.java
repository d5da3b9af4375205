package io.github.mskproducer.testkit.internal.broker;

/** Quiet defaults for slf4j-simple in the launcher and child nodes (set only if unset). */
public final class Logging {
  private Logging() {}

  public static void defaults(String level) {
    setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", level);
    setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
    setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSS");
    setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  /**
   * The name Kafka's logging calls a level by.
   *
   * @param level a level
   * @return TRACE, DEBUG, INFO, WARN, ERROR or OFF
   */
  public static String levelName(System.Logger.Level level) {
    switch (level) {
      case ALL:
      case TRACE:
        return "TRACE";
      case DEBUG:
        return "DEBUG";
      case INFO:
        return "INFO";
      case WARNING:
        return "WARN";
      case ERROR:
        return "ERROR";
      default:
        return "OFF";
    }
  }
}
