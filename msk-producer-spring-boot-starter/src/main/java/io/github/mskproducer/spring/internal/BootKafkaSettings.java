package io.github.mskproducer.spring.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.core.env.Environment;
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
  private static final Logger LOG = LoggerFactory.getLogger(BootKafkaSettings.class);
  private static final String PRODUCER = "spring.kafka.producer";

  private final Environment environment;
  private final ObjectProvider<KafkaProperties> properties;
  private final ObjectProvider<RecordMessageConverter> messageConverter;
  private final ObjectProvider<ProducerListener<Object, Object>> producerListener;

  /**
   * @param environment where the application's properties are, to name those the starter does
   *     not read
   * @param properties Spring Boot's {@code spring.kafka.*}, if its Kafka auto-configuration runs
   * @param messageConverter the application's converter, if it has one
   * @param producerListener the producer listener (Spring Boot's logging one unless yours)
   */
  public BootKafkaSettings(
      Environment environment,
      ObjectProvider<KafkaProperties> properties,
      ObjectProvider<RecordMessageConverter> messageConverter,
      ObjectProvider<ProducerListener<Object, Object>> producerListener) {
    this.environment = environment;
    this.properties = properties;
    this.messageConverter = messageConverter;
    this.producerListener = producerListener;
  }

  @Override
  public void applyTo(DefaultKafkaProducerFactory<?, ?> factory) {
    List<String> unread = unreadProducerProperties(environment);
    if (!unread.isEmpty()) {
      LOG.warn(
          "{} set, but the KafkaTemplate's producers are configured from msk.producer.* (the"
              + " MskProducer's bootstrap servers, IAM, TLS and producer settings); set the"
              + " msk.producer.* equivalents, or msk.producer.properties.* for any other Kafka"
              + " producer property",
          String.join(", ", unread));
    }
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

  /**
   * The {@code spring.kafka.producer.*} properties the application sets that the starter does not
   * read (all but the transaction id prefix), by name; never their values (one may be a secret).
   *
   * @param environment the application's properties
   * @return their names, sorted
   */
  static List<String> unreadProducerProperties(Environment environment) {
    List<String> names = new ArrayList<>();
    Binder.get(environment)
        .bind(PRODUCER, Bindable.mapOf(String.class, Object.class))
        .ifBound(m -> flatten(PRODUCER, m, names));
    names.removeIf(n -> n.equals(PRODUCER + ".transaction-id-prefix"));
    names.sort(null);
    return names;
  }

  private static void flatten(String prefix, Map<?, ?> m, List<String> out) {
    for (Map.Entry<?, ?> e : m.entrySet()) {
      String name = prefix + "." + e.getKey();
      if (e.getValue() instanceof Map<?, ?> nested) {
        flatten(name, nested, out);
      } else {
        out.add(name);
      }
    }
  }
}
