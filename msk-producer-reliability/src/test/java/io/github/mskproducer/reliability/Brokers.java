package io.github.mskproducer.reliability;

import io.github.mskproducer.core.MskAuth;
import io.github.mskproducer.core.MskProducer;
import io.github.mskproducer.core.MskProducerBuilder;
import io.github.mskproducer.testkit.LocalMskBroker;

/** Producers for the local broker, as a user would build them: IAM over TLS. */
final class Brokers {
  private Brokers() {}

  /** A producer builder for the broker's first identity (idempotence is on by default). */
  static MskProducerBuilder<String, String> producer(LocalMskBroker msk) {
    SecretScan.register(msk);
    return MskProducer.builder(String.class, String.class)
        .bootstrapServers(msk.bootstrapServers())
        .region(msk.region())
        .truststore(msk.truststorePem())
        .auth(MskAuth.iam(c -> c.credentialsProvider(msk.credentialsProvider())));
  }
}
