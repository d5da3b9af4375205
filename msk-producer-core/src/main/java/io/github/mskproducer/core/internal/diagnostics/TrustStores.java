package io.github.mskproducer.core.internal.diagnostics;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** The TLS context a client with this truststore would use: the JVM's, a PEM file, or PKCS12. */
final class TrustStores {
  private TrustStores() {}

  static SSLContext context(Path truststore, String password) throws Exception {
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    if (truststore == null) {
      tmf.init((KeyStore) null);
    } else {
      KeyStore ks = KeyStore.getInstance(password == null ? KeyStore.getDefaultType() : "PKCS12");
      if (password == null) {
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(truststore)) {
          int i = 0;
          for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
            ks.setCertificateEntry("ca-" + i++, c);
          }
        }
      } else {
        try (InputStream in = Files.newInputStream(truststore)) {
          ks.load(in, password.toCharArray());
        }
      }
      tmf.init(ks);
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }
}
