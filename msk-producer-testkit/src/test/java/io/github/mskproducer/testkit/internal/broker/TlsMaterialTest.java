package io.github.mskproducer.testkit.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsMaterialTest {
  @TempDir Path dir;

  @Test
  void reusedWithOtherAdvertisedNames_newCertificateNamesThemAll_sameAuthoritySameTruststore() throws Exception {
    TlsMaterial first = TlsMaterial.in(dir, List.of("b-1.one.test"));
    String truststore = Files.readString(first.truststorePem());
    X509Certificate before = first.certificate(first.keystore());
    assertThat(names(before)).contains("localhost", "127.0.0.1", "b-1.one.test");

    TlsMaterial again = TlsMaterial.in(dir, List.of("b-1.one.test"));
    assertThat(again.certificate(again.keystore())).as("same names: kept as it is").isEqualTo(before);

    TlsMaterial other = TlsMaterial.in(dir, List.of("b-1.two.test", "b-2.two.test"));
    X509Certificate after = other.certificate(other.keystore());
    assertThat(names(after)).contains("localhost", "127.0.0.1", "b-1.one.test", "b-1.two.test", "b-2.two.test");
    assertThat(after.getIssuerX500Principal()).isEqualTo(before.getIssuerX500Principal());
    assertThat(Files.readString(other.truststorePem())).as("clients keep trusting it").isEqualTo(truststore);
    assertThat(other.keystorePassword()).isEqualTo(first.keystorePassword());
  }

  private static List<String> names(X509Certificate c) throws Exception {
    List<String> names = new ArrayList<>();
    for (List<?> san : c.getSubjectAlternativeNames()) {
      names.add(String.valueOf(san.get(1)));
    }
    return names;
  }
}
