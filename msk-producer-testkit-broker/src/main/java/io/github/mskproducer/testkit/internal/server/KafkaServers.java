package io.github.mskproducer.testkit.internal.server;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.utils.Time;

/** Formats storage for, and creates, a Kafka KRaft server: shared by both node kinds. */
final class KafkaServers {
  private KafkaServers() {}

  /** Formats the node's log directories once; a formatted directory is left alone. */
  static void formatIfNeeded(Path configFile, String clusterId) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int rc;
    try (PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8)) {
      rc =
          StorageTool.execute(
              new String[] {
                "format", "--ignore-formatted", "-t", clusterId, "-c", configFile.toString()
              },
              ps);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "formatting Kafka storage failed for "
              + configFile
              + ": "
              + out.toString(StandardCharsets.UTF_8),
          e);
    }
    if (rc != 0) {
      throw new IllegalStateException(
          "formatting Kafka storage failed (exit "
              + rc
              + ") for "
              + configFile
              + ": "
              + out.toString(StandardCharsets.UTF_8));
    }
  }

  static KafkaRaftServer create(Properties config) {
    return new KafkaRaftServer(KafkaConfig.fromProps(config, false), Time.SYSTEM);
  }
}
