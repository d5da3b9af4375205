package io.github.mskproducer.testkit.internal.server;

import java.security.Provider;
import java.security.Security;
import java.util.Set;
import org.apache.kafka.common.security.oauthbearer.internals.OAuthBearerSaslServerProvider;
import org.apache.kafka.common.security.plain.internals.PlainSaslServerProvider;
import org.apache.kafka.common.security.scram.internals.ScramSaslServerProvider;

/**
 * Kafka registers its SASL mechanisms as JVM-wide security providers, by name, client and server
 * together, and the first registration of a name wins. With the broker in a class loader of its
 * own beside the test's Kafka clients, each side must find its own: the broker the server
 * providers of its class loader, the clients those of theirs (the testkit's client side sees to
 * the clients). A server provider of another class loader would hand the broker callbacks of
 * classes it does not know.
 */
final class SaslProviders {
  /** Kafka's server provider names (the same in every Kafka version since 2.0). */
  static final Set<String> KAFKA_SERVER_PROVIDERS =
      Set.of(
          "SASL/OAUTHBEARER Server Provider",
          "SASL/SCRAM Server Provider",
          "Simple SASL/PLAIN Server Provider");

  private SaslProviders() {}

  static synchronized void preferServerProviders() {
    ClassLoader ours = SaslProviders.class.getClassLoader();
    for (Provider p : Security.getProviders()) {
      if (KAFKA_SERVER_PROVIDERS.contains(p.getName()) && p.getClass().getClassLoader() != ours) {
        Security.removeProvider(p.getName());
      }
    }
    OAuthBearerSaslServerProvider.initialize();
    ScramSaslServerProvider.initialize();
    PlainSaslServerProvider.initialize();
  }
}
