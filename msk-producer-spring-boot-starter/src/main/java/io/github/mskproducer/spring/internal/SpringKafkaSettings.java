package io.github.mskproducer.spring.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.ProducerListener;
import org.springframework.kafka.support.converter.RecordMessageConverter;

/**
 * What Spring Boot's Kafka auto-configuration would set on its own producer factory and template
 * and that the starter's, which take their place, must set too: the {@code spring.kafka.template.*}
 * properties, {@code spring.kafka.producer.transaction-id-prefix}, the application's {@code
 * RecordMessageConverter} and {@code ProducerListener}. Read from the application's properties
 * themselves, so that they apply with Spring Kafka alone as with Spring Boot's Kafka module. The
 * connection and producer settings stay {@code msk.producer.*}'s; the other {@code
 * spring.kafka.producer.*} set are named in a WARN.
 */
public final class SpringKafkaSettings {
  private static final Logger LOG = LoggerFactory.getLogger(SpringKafkaSettings.class);
  private static final String PRODUCER = "spring.kafka.producer";
  private static final String TEMPLATE = "spring.kafka.template";

  private final Environment environment;
  private final ObjectProvider<RecordMessageConverter> messageConverter;
  private final ObjectProvider<ProducerListener<Object, Object>> producerListener;

  /**
   * @param environment the application's properties
   * @param messageConverter the application's converter, if it has one
   * @param producerListener the producer listener (Spring Boot's logging one, or yours), if any
   */
  public SpringKafkaSettings(
      Environment environment,
      ObjectProvider<RecordMessageConverter> messageConverter,
      ObjectProvider<ProducerListener<Object, Object>> producerListener) {
    this.environment = environment;
    this.messageConverter = messageConverter;
    this.producerListener = producerListener;
  }

  /**
   * Sets what Spring Boot sets on its producer factory, and names the producer properties set
   * that the starter does not read.
   *
   * @param factory the starter's factory
   */
  public void applyTo(DefaultKafkaProducerFactory<?, ?> factory) {
    String prefix = string(PRODUCER + ".transaction-id-prefix");
    if (prefix != null) {
      factory.setTransactionIdPrefix(prefix);
    }
    List<String> unread = unreadProducerProperties(environment);
    if (!unread.isEmpty()) {
      LOG.warn(
          "{} set, but the KafkaTemplate's producers are configured from msk.producer.* (the"
              + " MskProducer's bootstrap servers, IAM, TLS and producer settings); set the"
              + " msk.producer.* equivalents, or msk.producer.properties.* for any other Kafka"
              + " producer property",
          String.join(", ", unread));
    }
  }

  /**
   * Sets what Spring Boot sets on its template.
   *
   * @param template the starter's template
   */
  public void applyTo(KafkaTemplate<Object, Object> template) {
    messageConverter.ifUnique(template::setMessageConverter);
    producerListener.ifUnique(template::setProducerListener);
    String topic = string(TEMPLATE + ".default-topic");
    if (topic != null) {
      template.setDefaultTopic(topic);
    }
    String prefix = string(TEMPLATE + ".transaction-id-prefix");
    if (prefix != null) {
      template.setTransactionIdPrefix(prefix);
    }
    Binder.get(environment)
        .bind(TEMPLATE + ".observation-enabled", Boolean.class)
        .ifBound(template::setObservationEnabled);
  }

  private String string(String name) {
    return Binder.get(environment).bind(name, String.class).orElse(null);
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
