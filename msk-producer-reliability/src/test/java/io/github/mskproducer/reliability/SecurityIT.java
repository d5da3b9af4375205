package io.github.mskproducer.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.mskproducer.core.FlushResult;
import io.github.mskproducer.core.MskAuth;
import io.github.mskproducer.core.MskConfigurationException;
import io.github.mskproducer.core.MskProducer;
import io.github.mskproducer.core.MskProducerException;
import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.LocalMskBrokerExtension;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 8: security. The IAM token travels only inside TLS (every byte a client sent, on
 * every connection through a recording proxy, is a TLS record); when TLS fails there is no
 * fall-back to plaintext; a broker certificate for another name is refused even though it is
 * trusted; host name verification and TLS cannot be turned off; and, last, no secret appeared
 * in any log event of the whole suite, every logger at TRACE.
 */
@Order(100) // after every other scenario: its last check covers the whole suite's logs
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecurityIT {
  private static final String TOPIC = "s8-security";
  private static final String NAME = "Security";
  /** What must never be seen in clear on the wire. */
  private static final List<String> CLEAR_MARKERS =
      List.of(SecretScan.TOKEN_PREFIX, "OAUTHBEARER", "auth=Bearer", "kafka-cluster", "X-Amz-");

  @RegisterExtension
  static final LocalMskBrokerExtension MSK =
      LocalMskBrokerExtension.perClass(
          b ->
              b.mode(LocalMskBroker.Mode.CHILD_PROCESS)
                  .extraListeners(LocalMskBroker.Listener.PLAINTEXT)
                  .topic(TOPIC, 1));

  @TempDir static Path dir;

  private static Ledger ledger;
  private static long tlsConnections;
  private static long fallbackAttempts;
  private static String hostNameFailure;
  private static long took;

  @Test
  @Order(1)
  void theIamTokenTravelsOnlyInsideTls() throws Exception {
    LocalMskBroker msk = MSK.broker();
    long t0 = System.nanoTime();
    ledger = new Ledger("s8", 100);
    try (RecordingProxy wire = new RecordingProxy("127.0.0.1", port(msk.bootstrapServers()));
        MskProducer<String, String> producer =
            Brokers.producer(msk).bootstrapServers("localhost:" + wire.port()).build()) {
      for (int i = 0; i < 100; i++) {
        ledger.send(producer, TOPIC);
      }
      FlushResult<String, String> r = producer.flush(Duration.ofSeconds(60));
      assertThat(r.isComplete()).as("%s", r).isTrue();
      List<byte[]> connections = wire.clientBytes();
      assertThat(connections).isNotEmpty();
      for (byte[] c : connections) {
        assertThat(c.length).isPositive();
        assertThat(RecordingProxy.onlyTlsRecords(c)).as("every byte the client sent is a TLS record").isTrue();
        assertNoClearMarkers(c);
      }
      tlsConnections = connections.size();
    }
    Outcome o = Outcome.of(ledger, Arrivals.read(msk, TOPIC, ledger.run(), Duration.ofMinutes(1)));
    assertThat(o.acknowledged()).isEqualTo(100);
    assertThat(o.lost()).isZero();
    assertThat(o.duplicated()).isZero();
    took += System.nanoTime() - t0;
  }

  @Test
  @Order(2)
  void whenTlsFails_noFallbackToPlaintext() throws Exception {
    LocalMskBroker msk = MSK.broker();
    long t0 = System.nanoTime();
    // the broker's PLAINTEXT listener answers a TLS hello by closing the connection
    try (RecordingProxy wire = new RecordingProxy("127.0.0.1", port(msk.bootstrapServers(LocalMskBroker.Listener.PLAINTEXT)));
        MskProducer<String, String> producer =
            Brokers.producer(msk)
                .bootstrapServers("localhost:" + wire.port())
                .timeouts(t -> t.maxBlock(Duration.ofSeconds(4)))
                .reconnectBackoff(Duration.ofMillis(200), Duration.ofMillis(500))
                .retry(r -> r.maxAttempts(1))
                .build()) {
      Throwable failure = catchThrowable(() -> producer.sendAndWait(TOPIC, "k", "never", Duration.ofSeconds(10)));
      assertThat(failure).isInstanceOf(MskProducerException.class);
      assertThat(failure.getMessage()).contains("none got through TLS and authentication", "9098");
      List<byte[]> connections = wire.clientBytes();
      assertThat(connections).as("the client kept trying, each time with TLS").hasSizeGreaterThanOrEqualTo(2);
      for (byte[] c : connections) {
        assertThat(c.length).isPositive();
        assertThat(c[0]).as("a TLS handshake record").isEqualTo((byte) 22);
        assertThat(RecordingProxy.onlyTlsRecords(c)).isTrue();
        assertNoClearMarkers(c);
      }
      fallbackAttempts = connections.size();
    }
    took += System.nanoTime() - t0;
  }

  @Test
  @Order(3)
  void aTrustedCertificateForAnotherName_isRefused() throws Exception {
    LocalMskBroker msk = MSK.broker();
    long t0 = System.nanoTime();
    Path p12 = dir.resolve("other.p12");
    Path pem = dir.resolve("other.pem");
    keytool("-genkeypair", "-alias", "broker", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=other.example",
        "-ext", "SAN=dns:other.example", "-validity", "2", "-keystore", p12.toString(), "-storetype", "PKCS12", "-storepass", "changeit");
    keytool("-exportcert", "-rfc", "-alias", "broker", "-keystore", p12.toString(), "-storepass", "changeit", "-file", pem.toString());
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(p12)) {
      ks.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "changeit".toCharArray());
    SSLContext server = SSLContext.getInstance("TLS");
    server.init(kmf.getKeyManagers(), null, null);
    AtomicInteger handshakes = new AtomicInteger();
    AtomicInteger completed = new AtomicInteger();
    AtomicInteger applicationBytes = new AtomicInteger();
    try (SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
      Thread accept =
          new Thread(
              () -> {
                while (!listener.isClosed()) {
                  try (SSLSocket s = (SSLSocket) listener.accept()) {
                    handshakes.incrementAndGet();
                    s.setSoTimeout(3000);
                    s.startHandshake();
                    completed.incrementAndGet();
                    byte[] buf = new byte[4096];
                    for (int n; (n = s.getInputStream().read(buf)) > 0; ) {
                      applicationBytes.addAndGet(n);
                    }
                  } catch (Exception e) {
                    // the client refused the certificate, or the test ended
                  }
                }
              },
              "other-name-tls");
      accept.setDaemon(true);
      accept.start();

      // Control: the certificate is trusted; only its name is wrong.
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      try (InputStream in = Files.newInputStream(pem)) {
        trust.setCertificateEntry("other", java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext client = SSLContext.getInstance("TLS");
      client.init(null, tmf.getTrustManagers(), null);
      try (SSLSocket control = (SSLSocket) client.getSocketFactory().createSocket("localhost", listener.getLocalPort())) {
        control.startHandshake(); // no host name check here: succeeds
      }
      waitFor(() -> completed.get() == 1);
      int completedBefore = completed.get();

      try (MskProducer<String, String> producer =
          MskProducer.builder(String.class, String.class)
              .bootstrapServers("localhost:" + listener.getLocalPort())
              .region(msk.region())
              .truststore(pem)
              .auth(MskAuth.iam(c -> c.credentialsProvider(msk.credentialsProvider())))
              .timeouts(t -> t.maxBlock(Duration.ofSeconds(4)))
              .retry(r -> r.maxAttempts(1))
              .build()) {
        Throwable failure = catchThrowable(() -> producer.sendAndWait(TOPIC, "k", "never", Duration.ofSeconds(10)));
        assertThat(failure).isInstanceOf(MskProducerException.class);
        hostNameFailure = chain(failure);
        assertThat(hostNameFailure).containsIgnoringCase("localhost").containsIgnoringCase("subject alternative");
      }
      assertThat(handshakes.get()).as("the producer connected").isGreaterThan(1);
      assertThat(completed.get()).as("no handshake the producer made completed").isEqualTo(completedBefore);
      assertThat(applicationBytes.get()).as("nothing, no token, was sent to that server").isZero();
    }
    took += System.nanoTime() - t0;
  }

  @Test
  @Order(4)
  void tlsAndHostNameVerification_cannotBeTurnedOff() {
    LocalMskBroker msk = MSK.broker();
    assertThatThrownBy(() -> Brokers.producer(msk).property("ssl.endpoint.identification.algorithm", ""))
        .isInstanceOf(MskConfigurationException.class)
        .hasMessageContaining("host name verification");
    assertThatThrownBy(() -> Brokers.producer(msk).property("security.protocol", "SASL_PLAINTEXT"))
        .isInstanceOf(MskConfigurationException.class)
        .hasMessageContaining("security.protocol");
    assertThatThrownBy(() -> Brokers.producer(msk).bootstrapServers("b-1.demo.abc123.c2.kafka.us-east-1.amazonaws.com:9092").region("us-east-1").build())
        .isInstanceOf(MskConfigurationException.class)
        .hasMessageContaining("PLAINTEXT");
  }

  @Test
  @Order(99)
  void noSecretInAnyLogEvent_everyLoggerAtTrace_overTheWholeSuite() {
    assertThat(org.slf4j.LoggerFactory.getLogger("org.apache.kafka.clients.NetworkClient").isTraceEnabled())
        .as("the suite logs at TRACE (logback-test.xml)")
        .isTrue();
    List<String> findings = SecretScan.findings();
    Figures.write(
        "8",
        NAME,
        Outcome.of(ledger, Arrivals.read(MSK.broker(), TOPIC, ledger.run(), Duration.ofMinutes(1))),
        Duration.ofNanos(took),
        String.format(
            Locale.ROOT,
            "token only inside TLS (%d connection(s) recorded, every byte a TLS record); TLS failing: %d attempts, all TLS, none in plaintext; trusted certificate for other.example refused (\"%s\"); logs: %,d events of the whole suite scanned (%,d at TRACE, %.0f MB formatted) for %d secrets and the token markers: %d found",
            tlsConnections, fallbackAttempts, shortReason(hostNameFailure), SecretScan.events(), SecretScan.traceEvents(),
            SecretScan.characters() / 1048576.0, SecretScan.secretsWatched(), findings.size()));
    assertThat(SecretScan.traceEvents()).as("TRACE events were scanned").isGreaterThan(1_000);
    assertThat(SecretScan.secretsWatched()).isGreaterThanOrEqualTo(2);
    assertThat(findings).as("where secrets were logged").isEmpty();
    Figures.assertDocumented("8", NAME);
  }

  private static String shortReason(String chain) {
    if (chain == null) {
      return "not run";
    }
    int i = chain.indexOf("No subject alternative");
    return i < 0 ? "refused" : chain.substring(i, Math.min(chain.length(), chain.indexOf('.', i) < 0 ? chain.length() : chain.indexOf('.', i)));
  }

  private static String chain(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      sb.append(c.getClass().getName()).append(": ").append(c.getMessage()).append('\n');
    }
    return sb.toString();
  }

  static void assertNoClearMarkers(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    for (String m : CLEAR_MARKERS) {
      assertThat(text).as("in clear on the wire").doesNotContain(m);
    }
  }

  private static int port(String bootstrap) {
    String first = bootstrap.split(",")[0];
    return Integer.parseInt(first.substring(first.lastIndexOf(':') + 1));
  }

  private static void keytool(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("keytool: %s", out).isZero();
  }

  private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }
}
