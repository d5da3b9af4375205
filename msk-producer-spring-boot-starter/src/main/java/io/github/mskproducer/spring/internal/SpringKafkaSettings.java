package io.github.mskproducer.spring.internal;

import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * What Spring Boot's Kafka auto-configuration would set on its own producer factory and template
 * and that the starter's, which replace them, must set too: the {@code spring.kafka.template.*}
 * properties, the transaction id prefix of {@code spring.kafka.producer.transaction-id-prefix},
 * the application's {@code RecordMessageConverter} and {@code ProducerListener}. The
 * connection and producer settings stay {@code msk.producer.*}'s.
 */
public interface SpringKafkaSettings {
  /**
   * Sets what Spring Boot sets on its producer factory.
   *
   * @param factory the starter's factory
   */
  void applyTo(DefaultKafkaProducerFactory<?, ?> factory);

  /**
   * Sets what Spring Boot sets on its template.
   *
   * @param template the starter's template
   */
  void applyTo(KafkaTemplate<Object, Object> template);
}
