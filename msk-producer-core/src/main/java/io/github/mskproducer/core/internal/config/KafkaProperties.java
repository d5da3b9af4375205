package io.github.mskproducer.core.internal.config;

import io.github.mskproducer.core.internal.kafka.KafkaClientFacts;

import io.github.mskproducer.core.internal.auth.LegacyRegionProvider;
import io.github.mskproducer.core.internal.auth.MskIamCallbackHandler;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;

/** The Kafka producer properties for a configuration. */
public final class KafkaProperties {
  private KafkaProperties() {}

  /** Whether this JVM runs in AWS Lambda (its runtime sets the function's name). */
  static boolean inLambda() {
    String name = System.getenv("AWS_LAMBDA_FUNCTION_NAME");
    return name != null && !name.isBlank();
  }

  /**
   * @param tokenSourceId the producer's id in the token registry (IAM only), else null
   */
  public static Map<String, Object> create(Settings s, String tokenSourceId) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrap());
    p.put(ProducerConfig.CLIENT_ID_CONFIG, s.clientId());
    p.put(ProducerConfig.ACKS_CONFIG, s.acks().kafkaValue());
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, Boolean.toString(s.idempotence()));
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, s.compression().kafkaValue());
    p.put(ProducerConfig.LINGER_MS_CONFIG, Long.toString(s.linger().toMillis()));
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(s.batchSize()));
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, ms(s.timeouts().request()));
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, ms(s.timeouts().delivery()));
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, ms(s.timeouts().maxBlock()));
    p.put(
        CommonClientConfigs.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG,
        ms(s.timeouts().connectionSetup()));
    p.put(
        CommonClientConfigs.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG,
        ms(s.timeouts().connectionSetupMax()));
    // MSK's client advice: back off reconnects by 1 s or more (IAM connections are rate
    // limited per broker), with a maximum so that the back-off stays exponential.
    p.put(ProducerConfig.RECONNECT_BACKOFF_MS_CONFIG, ms(s.reconnectBackoff()));
    p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, ms(s.reconnectBackoffMax()));
    p.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, "200");

    switch (s.auth().mechanism()) {
      case IAM:
        p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
        p.put(SaslConfigs.SASL_MECHANISM, "OAUTHBEARER");
        p.put(
            SaslConfigs.SASL_JAAS_CONFIG,
            "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required "
                + MskIamCallbackHandler.PRODUCER_ID_OPTION
                + "=\""
                + tokenSourceId
                + "\";");
        p.put(SaslConfigs.SASL_LOGIN_CALLBACK_HANDLER_CLASS, MskIamCallbackHandler.class.getName());
        p.put(SaslConfigs.SASL_CLIENT_CALLBACK_HANDLER_CLASS, MskIamCallbackHandler.class.getName());
        break;
      case IAM_LEGACY:
        p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
        p.put(SaslConfigs.SASL_MECHANISM, "AWS_MSK_IAM");
        p.put(SaslConfigs.SASL_JAAS_CONFIG, legacyJaas(s));
        p.put(
            SaslConfigs.SASL_CLIENT_CALLBACK_HANDLER_CLASS,
            "software.amazon.msk.auth.iam.IAMClientCallbackHandler");
        break;
      case SCRAM_SHA_512:
        p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
        p.put(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512");
        p.put(
            SaslConfigs.SASL_JAAS_CONFIG,
            "org.apache.kafka.common.security.scram.ScramLoginModule required username="
                + quote(s.auth().scramUsername().orElseThrow())
                + " password="
                + quote(s.auth().scramPassword().orElseThrow())
                + ";");
        break;
      case TLS:
        p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL");
        break;
      default:
        p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT");
    }
    if (s.truststore() != null) {
      if (s.truststorePassword() == null) {
        p.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
      } else {
        p.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
        p.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, s.truststorePassword());
      }
      p.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, s.truststore().toString());
    }
    if (inLambda()
        && !s.extraProperties().containsKey("metric.reporters")
        && !s.extraProperties().containsKey("auto.include.jmx.reporter")) {
      // Nobody reads JMX in a Lambda, and an MBean per metric costs the cold start.
      p.putAll(KafkaClientFacts.withoutJmxReporter(KafkaClientFacts.clientsVersion()));
    }
    p.putAll(s.extraProperties());
    return p;
  }

  /**
   * The connection subset of {@link #create}: what a consumer or an admin client needs to reach
   * the same cluster with the same authentication and TLS (no producer settings, no client id).
   */
  public static Map<String, Object> connection(Settings s, String tokenSourceId) {
    Map<String, Object> c = new LinkedHashMap<>();
    create(s, tokenSourceId)
        .forEach(
            (k, v) -> {
              if (isConnectionProperty(k)) {
                c.put(k, v);
              }
            });
    return c;
  }

  /**
   * The producer subset of {@link #create}: what is not {@link #connection} (acks, idempotence,
   * compression, linger, batch size, timeouts, extra producer properties), without the client
   * id, which another producer must not share.
   */
  public static Map<String, Object> producerOnly(Settings s) {
    Map<String, Object> c = new LinkedHashMap<>();
    create(s, null)
        .forEach(
            (k, v) -> {
              if (!isConnectionProperty(k) && !k.equals(ProducerConfig.CLIENT_ID_CONFIG)) {
                c.put(k, v);
              }
            });
    return c;
  }

  private static boolean isConnectionProperty(String key) {
    return key.startsWith("sasl.")
        || key.startsWith("ssl.")
        || key.startsWith("socket.connection.setup.")
        || key.startsWith("reconnect.backoff.")
        || key.equals(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)
        || key.equals(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG)
        || key.equals(CommonClientConfigs.CLIENT_DNS_LOOKUP_CONFIG)
        || key.equals(CommonClientConfigs.RETRY_BACKOFF_MS_CONFIG);
  }

  private static String legacyJaas(Settings s) {
    StringBuilder jaas = new StringBuilder("software.amazon.msk.auth.iam.IAMLoginModule required");
    var c = s.auth().iamCredentials().orElseThrow();
    switch (c.source()) {
      case PROFILE:
        jaas.append(" awsProfileName=").append(quote(c.profile().orElseThrow()));
        break;
      case ASSUME_ROLE:
        jaas.append(" awsRoleArn=").append(quote(c.roleArn().orElseThrow()));
        jaas.append(" awsRoleSessionName=").append(quote(c.roleSessionName().orElseThrow()));
        jaas.append(" awsStsRegion=").append(quote(s.region()));
        break;
      default:
        break;
    }
    jaas.append(" awsMskRegionProvider=")
        .append(quote(LegacyRegionProvider.class.getName() + "?region=" + s.region()));
    return jaas.append(';').toString();
  }

  private static String ms(java.time.Duration d) {
    return Long.toString(d.toMillis());
  }

  /** A JAAS option value in double quotes, backslash and quote escaped. */
  static String quote(String value) {
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
