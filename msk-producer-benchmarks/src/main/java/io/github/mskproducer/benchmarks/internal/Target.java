package io.github.mskproducer.benchmarks.internal;

import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.TestIdentity;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * How to reach the benchmark broker, for child JVMs (as environment variables, the way Lambda
 * passes them) and JMH forks (a file readable by its owner only: JMH prints its forks' JVM
 * options, so the test identity's secret key never goes on a command line).
 */
public final class Target {
  /** The system property naming the file, for JMH forks. */
  public static final String FILE_PROPERTY = "mskbench.target";

  private final Properties p;

  private Target(Properties p) {
    this.p = p;
  }

  /**
   * The facts of a running broker.
   *
   * @param msk the broker
   * @return them
   */
  public static Target of(LocalMskBroker msk) {
    TestIdentity id = msk.identity();
    Properties p = new Properties();
    p.setProperty("bootstrap", msk.bootstrapServers());
    p.setProperty("truststore", msk.truststorePem().toString());
    p.setProperty("region", msk.region());
    p.setProperty("accessKeyId", id.accessKeyId());
    p.setProperty("secretAccessKey", id.secretAccessKey());
    p.setProperty("brokerPid", Long.toString(msk.brokerPid(msk.brokerIds().get(0)).orElse(-1L)));
    return new Target(p);
  }

  /**
   * Reads the file named by {@value #FILE_PROPERTY}.
   *
   * @return the facts
   * @throws IOException if it cannot be read
   */
  public static Target fromFile() throws IOException {
    String file = System.getProperty(FILE_PROPERTY);
    if (file == null) {
      throw new IllegalStateException("-D" + FILE_PROPERTY + " is not set: run benchmarks through BenchmarkSuite");
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(Path.of(file))) {
      p.load(r);
    }
    return new Target(p);
  }

  /**
   * Writes the facts to a file only its owner can read.
   *
   * @param file the file
   * @return the file
   * @throws IOException if it cannot be written
   */
  public Path write(Path file) throws IOException {
    Files.deleteIfExists(file);
    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try (Writer w = Files.newBufferedWriter(file)) {
      p.store(w, "msk-producer benchmarks: the local broker (test identity, not an AWS secret)");
    }
    return file;
  }

  /** @return the bootstrap servers */
  public String bootstrap() {
    return p.getProperty("bootstrap");
  }

  /** @return the CA's PEM file */
  public String truststore() {
    return p.getProperty("truststore");
  }

  /** @return the region */
  public String region() {
    return p.getProperty("region");
  }

  /** @return the broker's OS process id */
  public long brokerPid() {
    return Long.parseLong(p.getProperty("brokerPid"));
  }

  /**
   * What a Lambda function (or a service) would have in its environment.
   *
   * @return MSK_BOOTSTRAP_SERVERS, MSK_TRUSTSTORE, AWS_REGION and the credentials
   */
  public Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("MSK_BOOTSTRAP_SERVERS", bootstrap());
    env.put("MSK_TRUSTSTORE", truststore());
    env.put("AWS_REGION", region());
    env.put("AWS_ACCESS_KEY_ID", p.getProperty("accessKeyId"));
    env.put("AWS_SECRET_ACCESS_KEY", p.getProperty("secretAccessKey"));
    return env;
  }

  /**
   * Sets the AWS SDK's system properties for these credentials and region, where both
   * aws-msk-iam-auth and msk-producer's default chain find them.
   */
  public void installSystemProperties() {
    System.setProperty("aws.accessKeyId", p.getProperty("accessKeyId"));
    System.setProperty("aws.secretAccessKey", p.getProperty("secretAccessKey"));
    System.setProperty("aws.region", region());
  }

  /**
   * Freezes or thaws the broker's process.
   *
   * @param signal STOP or CONT
   */
  public void signalBroker(String signal) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(brokerPid())).inheritIO().start();
      if (kill.waitFor() != 0) {
        throw new IllegalStateException("kill -" + signal + " " + brokerPid() + " failed");
      }
    } catch (IOException e) {
      throw new IllegalStateException("kill -" + signal + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
