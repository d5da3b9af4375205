package io.github.mskproducer.testkit.internal.broker;

import io.github.mskproducer.testkit.LocalMskException;
import io.github.mskproducer.testkit.internal.control.ServerClasses;
import java.nio.file.Path;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * A node running in this JVM, in the broker's own class loader ({@link BrokerRuntime}): the
 * fastest to start; it cannot be killed or frozen alone.
 */
final class InProcessNode implements Node {
  private final int id;
  private final Path nodeDir;
  private final String clusterId;
  private final Supplier<Properties> config;
  private final String kafkaLogLevel;
  private AutoCloseable server;

  InProcessNode(
      int id, Path nodeDir, String clusterId, Supplier<Properties> config, String kafkaLogLevel) {
    this.id = id;
    this.nodeDir = nodeDir;
    this.clusterId = clusterId;
    this.config = config;
    this.kafkaLogLevel = kafkaLogLevel;
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
    Files2.store(
        nodeDir.resolve("server.properties"), config.get(), "Kafka node " + id + " of a local MSK cluster");
    BrokerRuntime runtime = BrokerRuntime.get();
    BrokerLogBridge.connect(runtime, kafkaLogLevel);
    SaslClientProviders.preferTheTests(runtime.classLoader());
    try {
      server =
          (AutoCloseable)
              runtime.call(
                  ServerClasses.KAFKA_NODE,
                  "start",
                  new Class<?>[] {Path.class, String.class, boolean.class},
                  nodeDir,
                  clusterId,
                  true);
    } catch (LocalMskException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new LocalMskException(String.valueOf(e.getMessage()), e);
    } finally {
      // The broker's OAUTHBEARER and SCRAM login modules register Kafka's client providers of
      // the broker's class loader too: the test's clients must keep finding their own.
      SaslClientProviders.preferTheTests(runtime.classLoader());
    }
  }

  @Override
  public synchronized void stop() {
    AutoCloseable s = server;
    server = null;
    if (s != null) {
      BrokerRuntime.get()
          .inBrokerLoader(
              () -> {
                s.close();
                return null;
              });
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
}
