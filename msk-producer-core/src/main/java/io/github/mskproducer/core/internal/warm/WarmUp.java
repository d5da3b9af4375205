package io.github.mskproducer.core.internal.warm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.IDN;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import io.github.mskproducer.core.internal.kafka.KafkaClientFacts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a producer's start does on a second thread while the Kafka producer is constructed on the
 * first, so that a cold JVM (a Lambda's init) uses both of its cores: the first IAM token, the
 * bootstrap host's address, Kafka's protocol tables, the platform MBean server Kafka registers
 * its client in, and the classes the start goes on to load ({@code
 * META-INF/msk-producer/cold-path-classes.txt}, loaded but not initialised, so that
 * nothing runs out of order). Nothing here changes what the producer does; each step that fails
 * is skipped. Measured step by step in docs/benchmarks.md (the history section).
 *
 * <p>The system property {@value #PROPERTY} names the steps to run ({@code token}, {@code
 * mbeans}, {@code protocol}, {@code tls} (a TLS client hello, which loads and runs the key
 * exchange once; not run by default), {@code dns}, {@code classes}; {@code none}; default all but
 * {@code tls}), the once-per-JVM ones in the order it names them: a switch for measuring, not a
 * tuning knob.
 */
public final class WarmUp {
  private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);

  /** The steps to run, comma-separated; default all but {@code tls}. */
  public static final String PROPERTY = "io.github.mskproducer.warmup";

  static final String CLASS_LIST = "META-INF/msk-producer/cold-path-classes.txt";

  // What a JVM needs once: later starts (a restart, a Lambda recycle) skip it.
  private static final java.util.concurrent.atomic.AtomicBoolean ONCE = new java.util.concurrent.atomic.AtomicBoolean();

  private WarmUp() {}

  /** Whether a step is on: named by the property, or without it, any step but {@code tls}. */
  public static boolean enabled(String step) {
    String steps = System.getProperty(PROPERTY);
    if (steps == null || steps.isBlank()) {
      return !step.equals("tls"); // as order() says: not run by default
    }
    for (String s : steps.split(",")) {
      if (s.trim().equals(step)) {
        return true;
      }
    }
    return false;
  }

  /** The once-per-JVM steps there are. */
  static final List<String> STEPS = List.of("protocol", "mbeans", "tls", "classes");

  /**
   * The once-per-JVM steps run by default, in this order. Kafka's protocol tables first: Kafka's
   * I/O thread needs them at its first connection, right after the constructor; after them the
   * second thread would otherwise be too late for anything. No TLS hello: Kafka's I/O thread
   * starts its handshake before this thread could reach it (docs/benchmarks-history.md,
   * 2026-12-03, third session).
   */
  static final List<String> DEFAULT_ORDER = List.of("protocol", "mbeans", "classes");

  /**
   * The once-per-JVM steps to run, in the property's order if it names them, else {@link
   * #DEFAULT_ORDER}.
   */
  static List<String> order() {
    String steps = System.getProperty(PROPERTY);
    if (steps == null || steps.isBlank()) {
      return DEFAULT_ORDER;
    }
    List<String> named = new ArrayList<>();
    for (String s : steps.split(",")) {
      if (STEPS.contains(s.trim())) {
        named.add(s.trim());
      }
    }
    return named;
  }

  /**
   * Starts the warm-up on a daemon thread.
   *
   * @param name the thread's name
   * @param first what to run first (the first token), or null
   * @param tlsHost the host of the first bootstrap server if TLS is used, else null
   * @param port its port
   * @return the thread
   */
  public static Thread start(String name, Runnable first, String tlsHost, int port) {
    Thread t =
        new Thread(
            () -> {
              if (first != null) {
                first.run();
              }
              if (tlsHost != null && enabled("dns")) {
                try {
                  dns(tlsHost);
                } catch (IOException | RuntimeException e) {
                  LOG.debug("warm-up step dns skipped: {}", e.toString());
                }
              }
              if (!ONCE.compareAndSet(false, true)) {
                return;
              }
              runSteps(order(), tlsHost, port);
            },
            name);
    t.setDaemon(true);
    t.setPriority(Thread.NORM_PRIORITY - 1);
    t.start();
    return t;
  }

  private static void runSteps(List<String> steps, String tlsHost, int port) {
    ClassLoader loader = WarmUp.class.getClassLoader();
    for (String step : steps) {
      try { // no lambda per step: each would be one more class to spin on a cold start
        switch (step) {
          case "protocol" -> protocol(loader);
          case "mbeans" -> mbeans();
          case "tls" -> {
            if (tlsHost != null) {
              tls(tlsHost, port);
            }
          }
          case "classes" -> classes(loader);
          default -> {}
        }
      } catch (Exception | LinkageError e) {
        LOG.debug("warm-up step {} skipped: {}", step, e.toString());
      }
    }
  }

  private static void mbeans() {
    ManagementFactory.getPlatformMBeanServer();
  }

  private static void dns(String host) throws IOException {
    IDN.toASCII(host);
    InetAddress.getAllByName(host);
  }

  /**
   * A client hello into a buffer, no network: loads the TLS engine and runs its key exchange's
   * key generation once. The trust manager is never asked (no server answers).
   */
  static void tls(String host, int port) throws Exception {
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, new TrustManager[] {new NoTrust()}, null);
    SSLEngine engine = ctx.createSSLEngine(host, port);
    engine.setUseClientMode(true);
    SSLParameters p = engine.getSSLParameters();
    p.setEndpointIdentificationAlgorithm("HTTPS");
    engine.setSSLParameters(p);
    engine.beginHandshake();
    ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    SSLEngineResult r = engine.wrap(ByteBuffer.allocate(0), out);
    LOG.trace("warm-up client hello: {} bytes, {}", out.position(), r.getStatus());
    Runnable task;
    while ((task = engine.getDelegatedTask()) != null) {
      task.run();
    }
    engine.closeOutbound();
  }

  /**
   * Kafka's protocol tables, initialised: every request and response schema (some 500 classes)
   * and the error codes (an exception built for each), which Kafka's I/O thread otherwise builds
   * on its first connection, on the critical path. Their static initialisers build constants
   * only (no locks, no I/O, no reference back), so initialising them on this thread is safe; a
   * name this Kafka version lacks is skipped.
   */
  static void protocol(ClassLoader loader) {
    for (String name : KafkaClientFacts.PROTOCOL_TABLES) {
      try {
        Class.forName(name, true, loader);
      } catch (ClassNotFoundException | LinkageError e) {
        LOG.debug("warm-up: no {}", name);
      }
    }
  }

  /** Loads (without initialising) the classes of the list; returns how many it found. */
  static int classes(ClassLoader loader) throws IOException {
    List<String> names = new ArrayList<>(3_000);
    try (InputStream in = loader.getResourceAsStream(CLASS_LIST)) {
      if (in == null) {
        return 0;
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line; (line = r.readLine()) != null; ) {
        if (!line.isEmpty() && line.charAt(0) != '#') {
          names.add(line.trim());
        }
      }
    }
    int found = 0;
    for (String name : names) {
      try {
        Class.forName(name, false, loader);
        found++;
      } catch (ClassNotFoundException | LinkageError e) {
        // another Kafka or JDK version: only the head start for this class is lost
      }
    }
    return found;
  }

  /** Trusts nothing and is never asked: the warm-up's hello gets no answer. */
  private static final class NoTrust extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
      throw new UnsupportedOperationException();
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
