package io.github.mskproducer.testkit.internal.broker;

import java.security.Provider;
import java.security.Security;
import java.util.List;

/**
 * Kafka registers its SASL mechanisms as JVM-wide security providers, by name, client and server
 * together; the first registration of a name wins. The broker side takes the server providers
 * for its class loader; this keeps the client providers those of the test's own kafka-clients,
 * whose callbacks the test's clients understand.
 */
final class SaslClientProviders {
  /** Kafka's client providers: their names and classes, the same since Kafka 2.0. */
  private static final List<String[]> KAFKA_CLIENT_PROVIDERS =
      List.of(
          new String[] {
            "SASL/OAUTHBEARER Client Provider",
            "org.apache.kafka.common.security.oauthbearer.internals.OAuthBearerSaslClientProvider"
          },
          new String[] {
            "SASL/SCRAM Client Provider",
            "org.apache.kafka.common.security.scram.internals.ScramSaslClientProvider"
          });

  private SaslClientProviders() {}

  static synchronized void preferTheTests(ClassLoader brokerLoader) {
    for (String[] p : KAFKA_CLIENT_PROVIDERS) {
      Provider registered = Security.getProvider(p[0]);
      if (registered != null && registered.getClass().getClassLoader() == brokerLoader) {
        Security.removeProvider(p[0]);
      }
      try {
        Class.forName(p[1], true, SaslClientProviders.class.getClassLoader())
            .getMethod("initialize")
            .invoke(null);
      } catch (ReflectiveOperationException | LinkageError e) {
        // no such provider in the test's kafka-clients: its clients do not use the mechanism
      }
    }
  }
}
