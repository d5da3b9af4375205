package io.github.mskproducer.benchmarks.internal.handwired;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The baseline: a {@code KafkaProducer} wired by hand with aws-msk-iam-auth, the way AWS's
 * documentation and the seed article do it, with the same producer settings as msk-producer's
 * defaults (acks=all, idempotence, lz4, linger 10 ms, 64 KiB batches) so that only the wrapper
 * differs. Credentials and region come from the AWS SDK's default chains.
 */
public final class HandWired {
  private HandWired() {}

  /**
   * The producer's properties.
   *
   * @param bootstrap the bootstrap servers
   * @param truststorePem the broker CA's PEM file
   * @param extra more properties, applied last
   * @return the properties
   */
  public static Properties properties(String bootstrap, String truststorePem, Map<String, String> extra) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("security.protocol", "SASL_SSL");
    p.put("sasl.mechanism", "OAUTHBEARER");
    p.put(
        "sasl.jaas.config",
        "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;");
    p.put(
        "sasl.login.callback.handler.class",
        "software.amazon.msk.auth.iam.IAMOAuthBearerLoginCallbackHandler");
    p.put(
        "sasl.client.callback.handler.class",
        "software.amazon.msk.auth.iam.IAMOAuthBearerLoginCallbackHandler");
    p.put("ssl.truststore.type", "PEM");
    p.put("ssl.truststore.location", truststorePem);
    p.put("acks", "all");
    p.put("enable.idempotence", "true");
    p.put("compression.type", "lz4");
    p.put("linger.ms", "10");
    p.put("batch.size", "65536");
    p.putAll(extra);
    return p;
  }

  /**
   * A byte-array producer.
   *
   * @param bootstrap the bootstrap servers
   * @param truststorePem the broker CA's PEM file
   * @param extra more properties
   * @return the producer
   */
  public static KafkaProducer<byte[], byte[]> bytes(
      String bootstrap, String truststorePem, Map<String, String> extra) {
    return new KafkaProducer<>(
        properties(bootstrap, truststorePem, extra),
        new ByteArraySerializer(),
        new ByteArraySerializer());
  }

  /**
   * A string producer configured from {@code MSK_BOOTSTRAP_SERVERS} and {@code MSK_TRUSTSTORE}.
   *
   * @return the producer
   */
  public static KafkaProducer<String, String> fromEnvironment() {
    return new KafkaProducer<>(
        properties(System.getenv("MSK_BOOTSTRAP_SERVERS"), System.getenv("MSK_TRUSTSTORE"), Map.of()),
        new StringSerializer(),
        new StringSerializer());
  }
}
