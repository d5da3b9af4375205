package io.github.mskproducer.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mskproducer.core.Finding.Status;
import io.github.mskproducer.testkit.LocalMskBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The classic: the bootstrap address works, the advertised broker addresses do not. */
class AdvertisedBrokerIT {
  @RegisterExtension
  static final LocalMskBrokerExtension MSK =
      LocalMskBrokerExtension.perClass(b -> b.advertisedHost("b-1.private.invalid").topic("orders", 1));

  @Test
  void advertisedBrokersThatDoNotResolveFromHere_areDiagnosed() {
    DiagnosticReport r = MskDiagnostics.run(LocalMsk.producer(MSK.broker()).config());

    assertThat(r.findings()).filteredOn(f -> f.check().equals("authentication")).singleElement()
        .satisfies(f -> assertThat(f.status()).isEqualTo(Status.OK));
    Finding advertised =
        r.findings().stream()
            .filter(f -> f.check().equals("advertised-broker"))
            .findFirst()
            .orElseThrow(() -> new AssertionError(r.toText()));
    assertThat(advertised.status()).isEqualTo(Status.FAIL);
    assertThat(advertised.target()).startsWith("b-1.private.invalid:");
    assertThat(advertised.observed()).contains("does not resolve");
    assertThat(advertised.cause()).contains("VPC-private names");
  }
}
