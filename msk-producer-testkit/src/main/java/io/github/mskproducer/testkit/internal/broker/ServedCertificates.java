package io.github.mskproducer.testkit.internal.broker;

import io.github.mskproducer.testkit.LocalMskException;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Which certificate a broker's listener serves, read by a handshake that trusts anything (it
 * only looks, sends nothing): Kafka applies a new keystore asynchronously after the dynamic
 * configuration change is acknowledged, one network thread after another.
 */
public final class ServedCertificates {
  /**
   * Handshakes in a row that must see the new certificate: each of the broker's network
   * threads (2, ClusterLayout) has its own TLS factory, updated one after another, and takes
   * new connections in turn; one handshake may meet an updated thread while the next does not.
   */
  private static final int IN_A_ROW = 8;

  private ServedCertificates() {}

  /**
   * Waits until the listener at {@code host:port} serves {@code expected}.
   *
   * @throws LocalMskException naming the listener if it still serves another after {@code timeout}
   */
  public static void await(String host, int port, X509Certificate expected, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no handshake";
    int inARow = 0;
    while (true) {
      try {
        X509Certificate served = served(host, port);
        if (served.equals(expected)) {
          if (++inARow == IN_A_ROW) {
            return;
          }
          continue;
        }
        inARow = 0;
        last = "it serves " + served.getSubjectX500Principal() + " issued by " + served.getIssuerX500Principal() + " (serial " + served.getSerialNumber().toString(16) + ")";
      } catch (IOException | GeneralSecurityException e) {
        last = e.toString();
      }
      if (System.nanoTime() > deadline) {
        throw new LocalMskException(
            "the broker listener at " + host + ":" + port + " did not serve the new certificate within " + timeout + ": " + last);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LocalMskException("interrupted while waiting for the new broker certificate", e);
      }
    }
  }

  private static X509Certificate served(String host, int port) throws IOException, GeneralSecurityException {
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, new TrustManager[] {new LookOnly()}, null);
    try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(host, port)) {
      s.setSoTimeout(5_000);
      s.startHandshake();
      Certificate[] chain = s.getSession().getPeerCertificates();
      return (X509Certificate) chain[0];
    }
  }

  /** Accepts any server: this handshake only reads the certificate, and sends nothing. */
  private static final class LookOnly implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
