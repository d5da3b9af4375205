package io.github.mskproducer.testkit.internal.broker;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;

/**
 * The version of the kafka-clients on the test's class path, read the way Kafka itself reads
 * it ({@code kafka/kafka-version.properties} in its jar), without Kafka's internal classes,
 * whose package changed between 3.x and 4.x.
 */
public final class KafkaClientsVersion {
  private static final String UNKNOWN = "unknown";

  private KafkaClientsVersion() {}

  /** The version, e.g. {@code 3.9.1}, or {@code unknown}. */
  public static String get() {
    ClassLoader loader = Admin.class.getClassLoader();
    try (InputStream in =
        loader == null ? null : loader.getResourceAsStream("kafka/kafka-version.properties")) {
      if (in == null) {
        return UNKNOWN;
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", UNKNOWN).trim();
    } catch (IOException e) {
      return UNKNOWN;
    }
  }

  /**
   * Whether the version is at least {@code major.minor}; an unknown version is taken as new
   * enough.
   */
  public static boolean atLeast(String version, int major, int minor) {
    String[] parts = version.split("[.-]");
    try {
      int ma = Integer.parseInt(parts[0]);
      int mi = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
      return ma > major || (ma == major && mi >= minor);
    } catch (NumberFormatException e) {
      return true;
    }
  }
}
