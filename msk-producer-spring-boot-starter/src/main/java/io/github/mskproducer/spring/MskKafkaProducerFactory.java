package io.github.mskproducer.spring;

import io.github.mskproducer.core.MskProducer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serializer;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.ProducerFactory;

/**
 * Spring Kafka's producer factory, configured like an {@link MskProducer}: every Kafka producer
 * it creates gets that producer's {@link MskProducer#producerProperties()} (bootstrap, TLS, MSK
 * IAM signed with its credentials, acks, idempotence, compression, timeouts), so that a {@code
 * KafkaTemplate} sends over IAM without a JAAS string. The properties are read when a Kafka
 * producer is created (the first send), never while the application context starts, so a
 * cluster that is down does not hold the start-up. Lives as long as the {@code MskProducer}
 * (its IAM signer).
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public class MskKafkaProducerFactory<K, V> extends DefaultKafkaProducerFactory<K, V> {
  private final MskProducer<?, ?> msk;

  /**
   * A factory whose producers are configured like {@code msk}.
   *
   * @param msk the producer whose configuration and IAM signer to use
   * @param configs further producer properties (they win over the producer's), e.g. a client id
   * @param keySerializer makes the key serializer of each Kafka producer
   * @param valueSerializer makes the value serializer of each Kafka producer
   */
  public MskKafkaProducerFactory(
      MskProducer<?, ?> msk,
      Map<String, Object> configs,
      Supplier<Serializer<K>> keySerializer,
      Supplier<Serializer<V>> valueSerializer) {
    super(initial(msk, configs), keySerializer, valueSerializer);
    this.msk = Objects.requireNonNull(msk, "msk");
  }

  private static Map<String, Object> initial(MskProducer<?, ?> msk, Map<String, Object> configs) {
    Map<String, Object> m = new LinkedHashMap<>();
    msk.config()
        .bootstrapServers()
        .ifPresent(b -> m.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, b));
    m.put(ProducerConfig.CLIENT_ID_CONFIG, msk.clientId() + "-template");
    m.putAll(configs);
    return m;
  }

  /**
   * A copy with some properties changed ({@code new KafkaTemplate<>(factory, overrides)}), still
   * configured like the {@code MskProducer}: Spring Kafka's own copy would be a plain factory,
   * without TLS and IAM.
   *
   * @param overrides the properties to change
   * @return the copy
   */
  @Override
  public ProducerFactory<K, V> copyWithConfigurationOverride(Map<String, Object> overrides) {
    Map<String, Object> configs = new LinkedHashMap<>(getConfigurationProperties());
    configs.putAll(overrides);
    MskKafkaProducerFactory<K, V> copy =
        new MskKafkaProducerFactory<>(
            msk, configs, getKeySerializerSupplier(), getValueSerializerSupplier());
    // What Spring Kafka's own copy keeps, and the transactions of this factory.
    copy.setPhysicalCloseTimeout((int) getPhysicalCloseTimeout().getSeconds());
    copy.setProducerPerThread(isProducerPerThread());
    Object transactionalId = overrides.get(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    String prefix = transactionalId != null ? transactionalId.toString() : getTransactionIdPrefix();
    if (prefix != null) {
      copy.setTransactionIdPrefix(prefix);
    }
    getPostProcessors().forEach(copy::addPostProcessor);
    getListeners().forEach(copy::addListener);
    return copy;
  }

  @Override
  protected Producer<K, V> createRawProducer(Map<String, Object> rawConfigs) {
    Map<String, Object> merged = new LinkedHashMap<>(msk.producerProperties());
    merged.putAll(rawConfigs);
    // The connection and IAM settings are the MskProducer's, whatever the raw configs say.
    merged.putAll(msk.clientProperties());
    return super.createRawProducer(merged);
  }
}
