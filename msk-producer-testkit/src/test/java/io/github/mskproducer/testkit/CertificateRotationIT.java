package io.github.mskproducer.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link LocalMskBroker#rotateCertificate(boolean)} returns once the broker serves the new
 * certificate: every next handshake sees it (Kafka updates its network threads one after
 * another, and each takes new connections in turn: a few handshakes meet each).
 */
class CertificateRotationIT {
  @RegisterExtension
  static final LocalMskBrokerExtension MSK =
      LocalMskBrokerExtension.perClass(b -> b.mode(LocalMskBroker.Mode.CHILD_PROCESS).proxied(true).topic("rotation", 1));

  @Test
  void trustedRotation_nextHandshakeGetsTheNewTrustedCertificate_untrusted_nextHandshakeRefused() throws Exception {
    LocalMskBroker msk = MSK.broker();
    X509Certificate first = served(msk);

    msk.rotateCertificate(true);
    for (int i = 0; i < 4; i++) {
      X509Certificate second = served(msk); // verified against the testkit's truststore
      assertThat(second.getSerialNumber()).isNotEqualTo(first.getSerialNumber());
      assertThat(second.getIssuerX500Principal()).isEqualTo(first.getIssuerX500Principal());
    }
    try (LocalMskBroker.Restorable creds = msk.installCredentialsAsSystemProperties();
        KafkaProducer<String, String> producer = KafkaClients.producer(msk.mskIamClientProperties(), "max.block.ms", "10000")) {
      producer.send(new ProducerRecord<>("rotation", "after a trusted rotation")).get(30, TimeUnit.SECONDS);
    }

    msk.rotateCertificate(false);
    for (int i = 0; i < 4; i++) {
      assertThatThrownBy(() -> served(msk)).isInstanceOf(SSLHandshakeException.class);
    }
    try (LocalMskBroker.Restorable creds = msk.installCredentialsAsSystemProperties();
        KafkaProducer<String, String> producer = KafkaClients.producer(msk.mskIamClientProperties(), "max.block.ms", "10000")) {
      assertThatThrownBy(() -> producer.send(new ProducerRecord<>("rotation", "never")).get(30, TimeUnit.SECONDS))
          .satisfies(e -> assertThat(KafkaClients.causeOfType(e, SslAuthenticationException.class)).isNotNull());
    }
  }

  /** The certificate the IAM listener serves, verified with the testkit's truststore. */
  private static X509Certificate served(LocalMskBroker msk) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(msk.truststorePkcs12())) {
      trust.load(in, msk.truststorePassword().toCharArray());
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    String[] hostPort = msk.bootstrapServers().split(",")[0].split(":");
    try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(hostPort[0], Integer.parseInt(hostPort[1]))) {
      s.setSoTimeout(10_000);
      s.startHandshake();
      return (X509Certificate) s.getSession().getPeerCertificates()[0];
    }
  }
}
