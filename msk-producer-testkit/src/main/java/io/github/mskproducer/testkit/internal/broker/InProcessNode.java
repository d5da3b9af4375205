package io.github.mskproducer.testkit.internal.broker;

import io.github.mskproducer.testkit.LocalMskException;
import java.nio.file.Path;
import java.util.Properties;
import java.util.function.Supplier;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.internals.Exit;

/** A node running in this JVM: the fastest to start; it cannot be killed or frozen alone. */
final class InProcessNode implements Node {
  private static boolean exitProceduresInstalled;

  private final int id;
  private final Path nodeDir;
  private final String clusterId;
  private final Supplier<Properties> config;
  private KafkaRaftServer server;

  InProcessNode(int id, Path nodeDir, String clusterId, Supplier<Properties> config) {
    this.id = id;
    this.nodeDir = nodeDir;
    this.clusterId = clusterId;
    this.config = config;
  }

  @Override
  public int id() {
    return id;
  }

  @Override
  public synchronized void start() {
    if (server != null) {
      return;
    }
    installExitProcedures();
    Properties props = config.get();
    Path configFile = nodeDir.resolve("server.properties");
    Files2.store(configFile, props, "Kafka node " + id + " of a local MSK cluster");
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
      throw new LocalMskException("Kafka node " + id + " failed to start: " + e.getMessage(), e);
    }
    server = s;
  }

  @Override
  public synchronized void stop() {
    KafkaRaftServer s = server;
    server = null;
    if (s != null) {
      s.shutdown();
      s.awaitShutdown();
    }
  }

  @Override
  public void kill() {
    throw unsupported("kill");
  }

  @Override
  public void pause() {
    throw unsupported("pause");
  }

  @Override
  public void resume() {
    throw unsupported("resume");
  }

  @Override
  public synchronized boolean isRunning() {
    return server != null;
  }

  @Override
  public long pid() {
    return -1;
  }

  private static LocalMskException unsupported(String what) {
    return new LocalMskException(
        "cannot "
            + what
            + " a broker that runs inside the test JVM: build the broker with"
            + " .mode(LocalMskBroker.Mode.CHILD_PROCESS)");
  }

  /** A broker failure must throw, not end the test JVM. */
  private static synchronized void installExitProcedures() {
    if (exitProceduresInstalled) {
      return;
    }
    Exit.setExitProcedure(
        (code, message) -> {
          throw new LocalMskException(
              "an in-process Kafka broker called exit(" + code + "): " + message);
        });
    Exit.setHaltProcedure(
        (code, message) -> {
          throw new LocalMskException(
              "an in-process Kafka broker called halt(" + code + "): " + message);
        });
    exitProceduresInstalled = true;
  }
}
