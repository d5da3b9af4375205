package io.github.mskproducer.core.internal.config;

import io.github.mskproducer.core.MskConfigurationException;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Which raw Kafka properties a user may set with {@code property(key, value)}: not those the
 * producer manages through an option of its own (the message names the option), not those
 * that would turn TLS host name verification off, and only names Kafka's producer knows.
 */
public final class PropertyPolicy {
  private PropertyPolicy() {}

  private static final Map<String, String> MANAGED =
      Map.ofEntries(
          Map.entry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "bootstrapServers(...)"),
          Map.entry(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, "MskProducer.builder(serializers)"),
          Map.entry(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, "MskProducer.builder(serializers)"),
          Map.entry(ProducerConfig.ACKS_CONFIG, "acks(...)"),
          Map.entry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "idempotence(...)"),
          Map.entry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "compression(...)"),
          Map.entry(ProducerConfig.LINGER_MS_CONFIG, "linger(...)"),
          Map.entry(ProducerConfig.BATCH_SIZE_CONFIG, "batchSize(...)"),
          Map.entry(ProducerConfig.CLIENT_ID_CONFIG, "clientId(...)"),
          Map.entry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "timeouts(t -> t.request(...))"),
          Map.entry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "timeouts(t -> t.delivery(...))"),
          Map.entry(ProducerConfig.MAX_BLOCK_MS_CONFIG, "timeouts(t -> t.maxBlock(...))"),
          Map.entry("socket.connection.setup.timeout.ms", "timeouts(t -> t.connectionSetup(...))"),
          Map.entry(
              "socket.connection.setup.timeout.max.ms", "timeouts(t -> t.connectionSetupMax(...))"),
          Map.entry(ProducerConfig.RECONNECT_BACKOFF_MS_CONFIG, "reconnectBackoff(...)"),
          Map.entry(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "reconnectBackoff(...)"));

  /**
   * Refuses a raw Kafka property the producer sets itself (naming the option to use), one that
   * would weaken TLS, and one Kafka does not know.
   *
   * @param key the property
   * @throws MskConfigurationException naming the property and the fix
   */
  public static void check(String key) {
    String option = MANAGED.get(key);
    if (option == null && (key.startsWith("sasl.") || key.equals("security.protocol"))) {
      option = "auth(...)";
    }
    if (option == null && key.startsWith("ssl.truststore.")) {
      option = "truststore(...)";
    }
    if (key.equals("ssl.endpoint.identification.algorithm")) {
      throw new MskConfigurationException(
          key,
          "Kafka property "
              + key
              + " cannot be changed: TLS host name verification stays on (MSK's broker"
              + " certificates match the broker names; turning it off lets anyone on the path"
              + " impersonate a broker and receive your IAM tokens). For a local broker, connect"
              + " to a name its certificate has");
    }
    if (option != null) {
      throw new MskConfigurationException(
          key, "Kafka property " + key + " is set by the builder: use " + option + " instead");
    }
    if (!ProducerConfig.configNames().contains(key)) {
      throw new MskConfigurationException(
          key,
          "'" + key + "' is not a Kafka producer property (see ProducerConfig); check the spelling");
    }
  }
}
