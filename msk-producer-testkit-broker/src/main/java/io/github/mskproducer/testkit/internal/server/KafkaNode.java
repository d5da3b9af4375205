package io.github.mskproducer.testkit.internal.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.internals.Exit;

/**
 * One running Kafka node (broker and controller in one), started from the {@code
 * server.properties} in its directory. The testkit reaches it through JDK types only ({@link
 * #start(Path, String, boolean)} and {@link AutoCloseable}), because it runs in a class loader
 * of its own, with the Kafka version the testkit was built with, whatever Kafka the test's own
 * class path holds.
 */
public final class KafkaNode implements AutoCloseable {
  private static boolean exitProceduresInstalled;

  private final KafkaRaftServer server;

  private KafkaNode(KafkaRaftServer server) {
    this.server = server;
  }

  /**
   * Formats the node's storage if needed and starts it; returns once it serves clients.
   *
   * @param nodeDir the directory holding {@code server.properties}
   * @param clusterId the cluster id to format with
   * @param inTestJvm true when the node shares the test's JVM: then a Kafka call to exit or halt
   *     throws instead of ending the JVM
   * @return the running node; close it to stop it cleanly
   * @throws IllegalStateException if it does not start, with Kafka's reason
   */
  public static KafkaNode start(Path nodeDir, String clusterId, boolean inTestJvm) {
    if (inTestJvm) {
      installExitProcedures();
    }
    SaslProviders.preferServerProviders();
    Path configFile = nodeDir.resolve("server.properties");
    Properties props = load(configFile);
    KafkaServers.formatIfNeeded(configFile, clusterId);
    KafkaRaftServer s = KafkaServers.create(props);
    try {
      s.startup();
    } catch (RuntimeException e) {
      try {
        s.shutdown();
        s.awaitShutdown();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new IllegalStateException(
          "Kafka node " + props.getProperty("node.id") + " failed to start: " + e.getMessage(), e);
    }
    return new KafkaNode(s);
  }

  /**
   * Loads the classes a node start needs, so that a start that follows finds them loaded: the
   * testkit calls it on a thread of its own while it makes the TLS certificate. Without
   * initializing them (static initializers run in the start's own order, on its thread).
   */
  public static void warmUp() {
    ClassLoader loader = KafkaNode.class.getClassLoader();
    for (String name : WARM_UP) {
      try {
        Class.forName(name, false, loader); // loaded and linked; initialized by the start only
      } catch (ClassNotFoundException | LinkageError e) {
        // only a head start: the start itself will say what is wrong
      }
    }
  }

  private static final String[] WARM_UP = {
    "kafka.tools.StorageTool",
    "kafka.server.KafkaConfig",
    "kafka.server.KafkaRaftServer",
    "kafka.server.SharedServer",
    "kafka.server.ControllerServer",
    "kafka.server.BrokerServer",
    "kafka.network.SocketServer",
    "kafka.raft.KafkaRaftManager",
    "org.apache.kafka.raft.KafkaRaftClient",
    "org.apache.kafka.controller.QuorumController",
    "org.apache.kafka.image.MetadataImage",
    "org.apache.kafka.storage.internals.log.UnifiedLog",
    "org.apache.kafka.coordinator.group.GroupCoordinatorService",
    "org.apache.kafka.common.network.SslChannelBuilder",
    "org.apache.kafka.common.security.authenticator.SaslServerAuthenticator",
    "io.github.mskproducer.testkit.internal.server.iam.MskIamServerCallbackHandler",
    "io.github.mskproducer.testkit.internal.server.iam.MskLikeAuthorizer"
  };

  /** Blocks until the node has shut down. */
  public void awaitShutdown() {
    server.awaitShutdown();
  }

  /** Stops the node cleanly (controlled shutdown) and waits for it. */
  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
  }

  private static Properties load(Path file) {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return p;
  }

  /** A broker failure must throw, not end the test JVM. */
  private static synchronized void installExitProcedures() {
    if (exitProceduresInstalled) {
      return;
    }
    Exit.setExitProcedure(
        (code, message) -> {
          throw new IllegalStateException(
              "an in-process Kafka broker called exit(" + code + "): " + message);
        });
    Exit.setHaltProcedure(
        (code, message) -> {
          throw new IllegalStateException(
              "an in-process Kafka broker called halt(" + code + "): " + message);
        });
    exitProceduresInstalled = true;
  }
}
