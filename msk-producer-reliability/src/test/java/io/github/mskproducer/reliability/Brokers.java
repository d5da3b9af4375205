package io.github.mskproducer.reliability;

import io.github.mskproducer.core.MskAuth;
import io.github.mskproducer.core.MskProducer;
import io.github.mskproducer.core.MskProducerBuilder;
import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.LocalMskBrokerBuilder;

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

  /**
   * Three brokers, each in a JVM of its own (so that one can be killed), where a dead broker is
   * fenced, and leaves the in-sync replicas, after 6 s rather than Kafka's 9 s.
   */
  static LocalMskBrokerBuilder threeBrokers(LocalMskBrokerBuilder b) {
    return b.mode(LocalMskBroker.Mode.CHILD_PROCESS)
        .brokers(3)
        .brokerProperty("broker.session.timeout.ms", "6000")
        .brokerProperty("broker.heartbeat.interval.ms", "1000");
  }
}
