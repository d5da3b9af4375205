package io.github.mskproducer.testkit.internal.broker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaRaftServer;

/**
 * The entry point of a child-process Kafka node: {@code NodeMain <node dir> <cluster id> <parent
 * pid>}. Formats storage if needed, starts the server, writes {@value #READY_FILE} once it
 * serves, shuts down cleanly on SIGTERM, and exits when the parent JVM is gone.
 */
public final class NodeMain {
  public static final String READY_FILE = "ready";

  private NodeMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: NodeMain <node dir> <cluster id> <parent pid>");
      System.exit(2);
    }
    Logging.defaults("warn");
    Path dir = Path.of(args[0]);
    String clusterId = args[1];
    long parentPid = Long.parseLong(args[2]);
    ProcessHandle.of(parentPid)
        .ifPresentOrElse(
            parent ->
                parent
                    .onExit()
                    .thenRun(
                        () -> {
                          System.err.println("parent JVM " + parentPid + " is gone: stopping");
                          System.exit(0);
                        }),
            () -> System.exit(0));

    Path configFile = dir.resolve("server.properties");
    Properties props = Files2.load(configFile);
    try {
      KafkaServers.formatIfNeeded(configFile, clusterId);
      KafkaRaftServer server = KafkaServers.create(props);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    server.shutdown();
                    server.awaitShutdown();
                  },
                  "kafka-node-shutdown"));
      server.startup();
      Files.writeString(dir.resolve(READY_FILE), Long.toString(ProcessHandle.current().pid()));
      server.awaitShutdown();
    } catch (Throwable t) {
      t.printStackTrace();
      System.exit(1);
    }
  }
}
