package io.github.mskproducer.testkit.internal.broker;

import io.github.mskproducer.testkit.LocalMskBroker.Listener;
import io.github.mskproducer.testkit.TestIdentity;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SslConfigs;

/**
 * What a client needs to reach the cluster, per listener, as Kafka properties, environment
 * variables or the launcher's facts. Pure: reads the layout, the TLS files and an identity.
 */
public final class ClientProperties {
  private final ClusterLayout layout;
  private final TlsMaterial tls;

  /**
   * Describes the clients of one cluster.
   *
   * @param layout the cluster's listeners and ports
   * @param tls its certificate files
   */
  public ClientProperties(ClusterLayout layout, TlsMaterial tls) {
    this.layout = layout;
    this.tls = tls;
  }

  /**
   * The PEM truststore settings.
   *
   * @return a new set of properties
   */
  public Properties ssl() {
    Properties p = new Properties();
    p.setProperty(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
    p.setProperty(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, tls.truststorePem().toString());
    return p;
  }

  /**
   * The IAM listener with aws-msk-iam-auth's OAUTHBEARER handlers, as AWS documents it.
   *
   * @return a new set of properties
   */
  public Properties mskIam() {
    return mskIam(layout.bootstrap(Listener.IAM), tls.truststorePem());
  }

  /**
   * aws-msk-iam-auth's client settings for any MSK-like IAM listener (the local broker's, the
   * container's): bootstrap, SASL_SSL, OAUTHBEARER with its callback handler, a PEM truststore.
   *
   * @param bootstrap the IAM listener's bootstrap servers
   * @param truststorePem the brokers' certificate
   * @return a new set of properties
   */
  public static Properties mskIam(String bootstrap, java.nio.file.Path truststorePem) {
    Properties p = new Properties();
    p.setProperty(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
    p.setProperty(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, truststorePem.toString());
    p.setProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.setProperty(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
    p.setProperty("sasl.mechanism", "OAUTHBEARER");
    p.setProperty(
        "sasl.jaas.config",
        "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;");
    p.setProperty(
        "sasl.login.callback.handler.class",
        "software.amazon.msk.auth.iam.IAMOAuthBearerLoginCallbackHandler");
    p.setProperty(
        "sasl.client.callback.handler.class",
        "software.amazon.msk.auth.iam.IAMOAuthBearerLoginCallbackHandler");
    return p;
  }

  /**
   * The PLAINTEXT or TLS listener, which authenticate no one.
   *
   * @param listener the listener
   * @return a new set of properties
   * @throws IllegalArgumentException for the IAM and SCRAM listeners, naming the right method
   */
  public Properties unauthenticated(Listener listener) {
    Objects.requireNonNull(listener, "listener");
    if (listener == Listener.IAM) {
      throw new IllegalArgumentException(
          "the IAM listener needs SASL settings: use mskIamClientProperties()");
    }
    if (listener == Listener.SCRAM) {
      throw new IllegalArgumentException(
          "the SCRAM listener needs a user: use scramClientProperties(username, password)");
    }
    Properties p = listener == Listener.TLS ? ssl() : new Properties();
    p.setProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, layout.bootstrap(listener));
    p.setProperty(
        CommonClientConfigs.SECURITY_PROTOCOL_CONFIG,
        listener == Listener.TLS ? "SSL" : "PLAINTEXT");
    return p;
  }

  /**
   * The SCRAM listener with one user.
   *
   * @param username the user
   * @param password its password
   * @return a new set of properties
   */
  public Properties scram(String username, String password) {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    Properties p = ssl();
    p.setProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, layout.bootstrap(Listener.SCRAM));
    p.setProperty(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
    p.setProperty("sasl.mechanism", "SCRAM-SHA-512");
    p.setProperty(
        "sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
            + jaasQuote(username)
            + "\" password=\""
            + jaasQuote(password)
            + "\";");
    return p;
  }

  /**
   * The environment variables msk-producer's {@code fromEnvironment} and the AWS SDK read.
   *
   * @param id whose credentials
   * @param region the cluster's region
   * @return a new, mutable map
   */
  public Map<String, String> environment(TestIdentity id, String region) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("MSK_BOOTSTRAP_SERVERS", layout.bootstrap(Listener.IAM));
    env.put("AWS_REGION", region);
    env.put("AWS_ACCESS_KEY_ID", id.accessKeyId());
    env.put("AWS_SECRET_ACCESS_KEY", id.secretAccessKey());
    id.sessionToken().ifPresent(t -> env.put("AWS_SESSION_TOKEN", t));
    env.put("MSK_TRUSTSTORE", tls.truststorePem().toString());
    return env;
  }

  /**
   * The facts the standalone launcher prints.
   *
   * @param id whose credentials
   * @param region the cluster's region
   * @return a new map, in a stable order
   */
  public Map<String, String> facts(TestIdentity id, String region) {
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("bootstrap", layout.bootstrap(Listener.IAM));
    facts.put("region", region);
    facts.put("identity", id.name());
    facts.put("aws_access_key_id", id.accessKeyId());
    facts.put("aws_secret_access_key", id.secretAccessKey());
    id.sessionToken().ifPresent(t -> facts.put("aws_session_token", t));
    facts.put("truststore_pem", tls.truststorePem().toString());
    facts.put("truststore_p12", tls.truststoreP12().toString());
    facts.put("truststore_password", tls.truststorePassword());
    if (layout.has(Listener.PLAINTEXT)) {
      facts.put("bootstrap_plaintext", layout.bootstrap(Listener.PLAINTEXT));
    }
    if (layout.has(Listener.TLS)) {
      facts.put("bootstrap_tls", layout.bootstrap(Listener.TLS));
    }
    if (layout.has(Listener.SCRAM)) {
      facts.put("bootstrap_scram", layout.bootstrap(Listener.SCRAM));
    }
    facts.put("admin_bootstrap", layout.internalBootstrap());
    facts.put("data_dir", layout.dataDir().toString());
    return facts;
  }

  private static String jaasQuote(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
