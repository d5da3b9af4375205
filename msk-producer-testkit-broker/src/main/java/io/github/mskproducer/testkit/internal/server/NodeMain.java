package io.github.mskproducer.testkit.internal.server;

import io.github.mskproducer.testkit.internal.control.ServerClasses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The entry point of a child-process Kafka node: {@code NodeMain <node dir> <cluster id> <parent
 * pid>}. Formats storage if needed, starts the server, writes {@value #READY_FILE} once it
 * serves, shuts down cleanly on SIGTERM, and exits when the parent JVM is gone. Its class path
 * is the testkit's broker runtime, not the tests'.
 */
public final class NodeMain {
  public static final String READY_FILE = ServerClasses.READY_FILE;

  private NodeMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: NodeMain <node dir> <cluster id> <parent pid>");
      System.exit(2);
    }
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
    // Registered first, so that SIGTERM during start-up still shuts down what has started.
    AtomicReference<KafkaNode> started = new AtomicReference<>();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  KafkaNode n = started.get();
                  if (n != null) {
                    n.close();
                  }
                },
                "kafka-node-shutdown"));
    try {
      KafkaNode node = KafkaNode.start(dir, clusterId, false);
      started.set(node);
      Files.writeString(dir.resolve(READY_FILE), Long.toString(ProcessHandle.current().pid()));
      node.awaitShutdown();
    } catch (Throwable t) {
      t.printStackTrace();
      System.exit(1);
    }
  }
}
