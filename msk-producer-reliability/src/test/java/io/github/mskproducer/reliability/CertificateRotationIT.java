package io.github.mskproducer.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mskproducer.core.FlushResult;
import io.github.mskproducer.core.MskProducer;
import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.LocalMskBrokerExtension;
import io.github.mskproducer.testkit.TcpProxy;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scenario 13: the brokers' TLS certificates rotate mid-run. First a new certificate from the
 * same authority the client trusts (what MSK does): established connections keep going, new
 * ones (forced by resetting them all, as a broker restart would) verify the new certificate,
 * and no send fails. Then a certificate from an authority the client does not trust: every
 * new connection fails its TLS handshake with a clear error, every byte the client sent is a
 * TLS record (nothing in plaintext), and nothing is reported acknowledged that is not in the
 * log.
 */
@Order(13)
class CertificateRotationIT {
  private static final String TOPIC = "s13-certificates";
  private static final String NAME = "Broker certificate rotation (same CA, then an untrusted one)";

  @RegisterExtension
  static final LocalMskBrokerExtension MSK =
      LocalMskBrokerExtension.perClass(
          b -> b.mode(LocalMskBroker.Mode.CHILD_PROCESS).proxied(true).topic(TOPIC, 3));

  @Test
  void rotationFromTheSameCa_noFailedSend_untrustedCa_clearTlsFailure_nothingInPlaintext() throws Exception {
    LocalMskBroker msk = MSK.broker();
    int node = msk.brokerIds().get(0);
    TcpProxy proxy = msk.proxy(node);
    Ledger ledger = new Ledger("s13", 200);
    Ledger untrusted = new Ledger("s13u", 200);
    int rate = 500;
    Duration phase = Soak.duration(Duration.ofSeconds(4), Duration.ofSeconds(60));
    int rotations = Soak.count(1, 3);
    BigInteger before = served(msk).getSerialNumber();
    BigInteger after;
    long t0 = System.nanoTime();
    FlushResult<String, String> result;
    FlushResult<String, String> refused;
    List<byte[]> wire;
    double failedAuths;
    try (MskProducer<String, String> producer =
        Brokers.producer(msk)
            .timeouts(t -> t.request(Duration.ofSeconds(5)).delivery(Duration.ofSeconds(15)).maxBlock(Duration.ofSeconds(5)))
            .reconnectBackoff(Duration.ofMillis(200), Duration.ofSeconds(1))
            .build()) {
      producer.awaitReady(Duration.ofSeconds(30));
      try (Load load = Load.start(ledger, producer, TOPIC, rate, 1)) {
        Thread.sleep(phase.toMillis());
        for (int i = 0; i < rotations; i++) {
          BigInteger old = served(msk).getSerialNumber();
          msk.rotateCertificate(true);
          assertThat(served(msk).getSerialNumber()).as("served once rotateCertificate returns").isNotEqualTo(old);
          Thread.sleep(phase.toMillis() / 2); // established connections keep their certificate
          proxy.resetExisting(); // then every connection is made again, with the new one
          Thread.sleep(phase.toMillis() / 2);
        }
      }
      result = producer.flush(Duration.ofMinutes(1));
      after = served(msk).getSerialNumber();

      // An untrusted certificate; the client's new connections go through a recorder.
      InetSocketAddress backend = proxy.target();
      try (RecordingProxy recorder = new RecordingProxy(backend.getHostString(), backend.getPort())) {
        proxy.target("127.0.0.1", recorder.port());
        msk.rotateCertificate(false);
        assertThat(served(msk).getIssuerX500Principal().getName()).as("served once rotateCertificate returns").contains("untrusted testkit CA");
        proxy.resetExisting();
        for (int i = 0; i < 50; i++) {
          untrusted.send(producer, TOPIC);
        }
        refused = producer.flush(Duration.ofMinutes(1));
        wire = recorder.clientBytes();
        proxy.target(backend.getHostString(), backend.getPort());
      }
      failedAuths = Metrics.sum(producer, "failed-authentication-total");
    } finally {
      msk.rotateCertificate(true); // trusted again, for the reader
    }
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    Outcome o = Outcome.of(ledger, Arrivals.read(msk, TOPIC, ledger.run(), Duration.ofMinutes(1)));
    Map<Long, Integer> arrivedUntrusted = Arrivals.read(msk, TOPIC, untrusted.run(), Duration.ofMinutes(1));
    Outcome ou = Outcome.of(untrusted, arrivedUntrusted);
    String firstFailure = untrusted.failed().values().stream().findFirst().map(Throwable::getMessage).orElse("none");
    Figures.write(
        "13",
        NAME,
        o,
        took,
        String.format(
            "%,d records/s; %d rotation(s) to a certificate from the same CA, then every connection reset: 0 failed (served certificate serial changed: %s); then an untrusted CA: %d of %d records reported failed, %d acknowledged, %d in the log, %d TLS connection attempt(s) recorded, all TLS records, none in plaintext, %.0f failed authentications; the error: \"%s\"",
            rate,
            rotations,
            !before.equals(after),
            ou.failed(),
            ou.sent(),
            ou.acknowledged(),
            arrivedUntrusted.size(),
            wire.size(),
            failedAuths,
            abbreviate(firstFailure.substring(Math.max(0, firstFailure.indexOf("not acknowledged within"))), 420)),
        ledger);

    assertThat(result.isComplete()).as("flush %s", result).isTrue();
    assertThat(after).as("the brokers serve the rotated certificate").isNotEqualTo(before);
    o.assertEveryRecordAcknowledgedOnce(ledger);

    assertThat(refused.pending()).as("every record has an outcome").isEmpty();
    assertThat(ou.acknowledged()).as("nothing acknowledged through an untrusted certificate").isZero();
    assertThat(ou.failed()).isEqualTo(50);
    assertThat(arrivedUntrusted).as("nothing reached the log").isEmpty();
    assertThat(untrusted.failed().values())
        // Kafka hands the handshake's failure to a send waiting for metadata (then it is the
        // cause), or keeps retrying until the delivery timeout (then the message says the
        // connections are failing authentication): either way it names TLS and the truststore.
        .as("the failure names the TLS handshake and the truststore")
        .allSatisfy(e -> assertThat(e.getMessage()).contains("TLS handshake", "truststore"));
    assertThat(wire).as("the client tried again, each time with TLS").isNotEmpty();
    for (byte[] c : wire) {
      assertThat(RecordingProxy.onlyTlsRecords(c)).as("only TLS records on the wire").isTrue();
      SecurityIT.assertNoClearMarkers(c);
    }
    Figures.assertDocumented("13", NAME);
  }

  /** The certificate the broker serves now, through a fresh TLS handshake that trusts anything. */
  private static X509Certificate served(LocalMskBroker msk) throws Exception {
    javax.net.ssl.X509TrustManager anything =
        new javax.net.ssl.X509TrustManager() {
          @Override
          public void checkClientTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
          }
        };
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, new javax.net.ssl.TrustManager[] {anything}, null);
    String[] hostPort = msk.advertisedAddress(msk.brokerIds().get(0)).split(":");
    try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(hostPort[0], Integer.parseInt(hostPort[1]))) {
      s.setSoTimeout(10_000);
      s.startHandshake();
      return (X509Certificate) s.getSession().getPeerCertificates()[0];
    }
  }

  private static String abbreviate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "...";
  }
}
