package io.github.mskproducer.spring.internal;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.ProducerListener;
import org.springframework.kafka.support.converter.RecordMessageConverter;

/**
 * {@link SpringKafkaSettings} from Spring Boot's {@link KafkaProperties} and the application's
 * beans, as Spring Boot's own Kafka auto-configuration applies them. Loaded only where Spring
 * Boot's Kafka module is on the class path.
 */
public final class BootKafkaSettings implements SpringKafkaSettings {
  private final ObjectProvider<KafkaProperties> properties;
  private final ObjectProvider<RecordMessageConverter> messageConverter;
  private final ObjectProvider<ProducerListener<Object, Object>> producerListener;

  /**
   * @param properties Spring Boot's {@code spring.kafka.*}, if its Kafka auto-configuration runs
   * @param messageConverter the application's converter, if it has one
   * @param producerListener the producer listener (Spring Boot's logging one unless yours)
   */
  public BootKafkaSettings(
      ObjectProvider<KafkaProperties> properties,
      ObjectProvider<RecordMessageConverter> messageConverter,
      ObjectProvider<ProducerListener<Object, Object>> producerListener) {
    this.properties = properties;
    this.messageConverter = messageConverter;
    this.producerListener = producerListener;
  }

  @Override
  public void applyTo(DefaultKafkaProducerFactory<?, ?> factory) {
    KafkaProperties p = properties.getIfAvailable();
    if (p != null && p.getProducer().getTransactionIdPrefix() != null) {
      factory.setTransactionIdPrefix(p.getProducer().getTransactionIdPrefix());
    }
  }

  @Override
  public void applyTo(KafkaTemplate<Object, Object> template) {
    messageConverter.ifUnique(template::setMessageConverter);
    producerListener.ifUnique(template::setProducerListener);
    KafkaProperties p = properties.getIfAvailable();
    if (p == null) {
      return;
    }
    KafkaProperties.Template t = p.getTemplate();
    if (t.getDefaultTopic() != null) {
      template.setDefaultTopic(t.getDefaultTopic());
    }
    if (t.getTransactionIdPrefix() != null) {
      template.setTransactionIdPrefix(t.getTransactionIdPrefix());
    }
    template.setObservationEnabled(t.isObservationEnabled());
  }
}
