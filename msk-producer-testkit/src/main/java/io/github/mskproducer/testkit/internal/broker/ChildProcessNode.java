package io.github.mskproducer.testkit.internal.broker;

import io.github.mskproducer.testkit.LocalMskException;
import io.github.mskproducer.testkit.internal.control.ServerClasses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A node in its own JVM (the broker runtime's {@code NodeMain}), so that a test can stop it with SIGTERM, kill it with
 * SIGKILL, or freeze it with SIGSTOP independently of the test JVM. Its output goes to {@code
 * node-<id>/broker.log}; it exits by itself if the JVM that started it dies.
 */
final class ChildProcessNode implements Node {
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  private final int id;
  private final Path nodeDir;
  private final String clusterId;
  private final Supplier<Properties> config;
  private final List<String> jvmOptions;
  private final Duration startupTimeout;
  private final String kafkaLogLevel;
  private Process process;
  private boolean paused;

  ChildProcessNode(
      int id,
      Path nodeDir,
      String clusterId,
      Supplier<Properties> config,
      List<String> jvmOptions,
      Duration startupTimeout,
      String kafkaLogLevel) {
    this.id = id;
    this.nodeDir = nodeDir;
    this.clusterId = clusterId;
    this.config = config;
    this.jvmOptions = List.copyOf(jvmOptions);
    this.startupTimeout = startupTimeout;
    this.kafkaLogLevel = kafkaLogLevel;
  }

  @Override
  public int id() {
    return id;
  }

  @Override
  public synchronized void start() {
    if (process != null && process.isAlive()) {
      return;
    }
    Path configFile = nodeDir.resolve("server.properties");
    Files2.store(configFile, config.get(), "Kafka node " + id + " of a local MSK cluster");
    Path ready = nodeDir.resolve(ServerClasses.READY_FILE);
    Path log = nodeDir.resolve("broker.log");
    try {
      Files.deleteIfExists(ready);
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.addAll(jvmOptions);
      if (jvmOptions.stream().noneMatch(o -> o.startsWith("-D" + ServerClasses.LOG_LEVEL_PROPERTY + "="))) {
        cmd.add("-D" + ServerClasses.LOG_LEVEL_PROPERTY + "=" + kafkaLogLevel);
      }
      // The broker's own runtime, not the tests' class path: any Kafka version there is theirs.
      cmd.add("-cp");
      cmd.add(BrokerRuntime.get().classPath());
      cmd.add(ServerClasses.NODE_MAIN);
      cmd.add(nodeDir.toString());
      cmd.add(clusterId);
      cmd.add(Long.toString(ProcessHandle.current().pid()));
      process =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      paused = false;
    } catch (IOException e) {
      throw new LocalMskException("cannot start a JVM for Kafka node " + id, e);
    }
    long deadline = System.nanoTime() + startupTimeout.toNanos();
    try {
      while (!Files.exists(ready)) {
        if (!process.isAlive()) {
          throw new LocalMskException(
              "Kafka node "
                  + id
                  + " exited with code "
                  + process.exitValue()
                  + " while starting; the end of "
                  + log
                  + ":\n"
                  + Files2.tail(log, 40));
        }
        if (System.nanoTime() > deadline) {
          process.destroyForcibly();
          throw new LocalMskException(
              "Kafka node "
                  + id
                  + " was not ready within "
                  + startupTimeout
                  + " (raise startupTimeout on a slow machine); the end of "
                  + log
                  + ":\n"
                  + Files2.tail(log, 40));
        }
        Thread.sleep(20);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new LocalMskException("interrupted while Kafka node " + id + " started", e);
    }
  }

  @Override
  public synchronized void stop() {
    Process p = process;
    if (p == null) {
      return;
    }
    if (paused) {
      resume();
    }
    p.destroy();
    awaitExit(p, STOP_TIMEOUT);
    process = null;
  }

  @Override
  public synchronized void kill() {
    Process p = process;
    if (p == null) {
      return;
    }
    p.destroyForcibly();
    awaitExit(p, STOP_TIMEOUT);
    process = null;
    paused = false;
  }

  @Override
  public synchronized void pause() {
    signal("STOP");
    paused = true;
  }

  @Override
  public synchronized void resume() {
    signal("CONT");
    paused = false;
  }

  @Override
  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  @Override
  public synchronized long pid() {
    return process == null ? -1 : process.pid();
  }

  private void signal(String signal) {
    if (process == null || !process.isAlive()) {
      throw new LocalMskException("Kafka node " + id + " is not running");
    }
    try {
      Process kill =
          new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
              .redirectErrorStream(true)
              .start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new LocalMskException(
            "kill -" + signal + " failed for Kafka node " + id + " (needs a Unix 'kill' command)");
      }
    } catch (IOException e) {
      throw new LocalMskException("cannot send SIG" + signal + " to Kafka node " + id, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LocalMskException("interrupted while signalling Kafka node " + id, e);
    }
  }

  private void awaitExit(Process p, Duration timeout) {
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
    }
  }
}
