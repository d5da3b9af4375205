package io.github.mskproducer.spring;

import io.github.mskproducer.core.MskConfigurationException;
import io.github.mskproducer.core.MskProducer;
import io.github.mskproducer.core.MskProducerBuilder;
import io.github.mskproducer.core.MskProducerConfig;
import io.github.mskproducer.core.MskProducerListener;
import io.github.mskproducer.micrometer.MskProducerMetrics;
import io.github.mskproducer.opentelemetry.MskProducerTracing;
import io.github.mskproducer.spring.internal.ConfigMapping;
import io.opentelemetry.api.OpenTelemetry;
import java.lang.reflect.InvocationTargetException;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serializer;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;

/**
 * msk-producer for Spring Boot 4: from the {@code msk.producer.*} properties ({@link
 * MskProducerProperties}) an immutable {@link MskProducerConfig}, an {@link MskProducer}
 * (closed with the application, waiting at most {@code msk.producer.close-timeout}), and where
 * the application has them: Spring Kafka's {@link ProducerFactory} and {@link KafkaTemplate}
 * configured like the {@code MskProducer} (MSK IAM without a JAAS string), an Actuator health
 * indicator ({@link MskProducerHealthIndicator}, contributor {@code mskProducer}), Micrometer
 * meters ({@link MskProducerMetrics}) and OpenTelemetry tracing ({@link MskProducerTracing},
 * when an {@link OpenTelemetry} bean exists). Each bean can be replaced by one of your own.
 * Every {@link MskProducerListener} bean hears the producer; {@link MskProducerCustomizer}
 * beans change its builder last.
 *
 * <p>Runs before Spring Boot's Kafka auto-configuration, whose producer factory and template
 * then step aside.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration")
@ConditionalOnClass(MskProducer.class)
@ConditionalOnBooleanProperty(name = "msk.producer.enabled", matchIfMissing = true)
@EnableConfigurationProperties(MskProducerProperties.class)
public class MskProducerAutoConfiguration {
  /** Made by Spring Boot. */
  public MskProducerAutoConfiguration() {}

  /**
   * The producer's configuration, from the properties.
   *
   * @param properties the bound properties
   * @return the configuration
   * @throws MskConfigurationException naming the bad property
   */
  @Bean
  @ConditionalOnMissingBean
  public MskProducerConfig mskProducerConfig(MskProducerProperties properties) {
    return ConfigMapping.toConfig(properties);
  }

  /**
   * The producer, starting (its start never holds the application's).
   *
   * @param config the configuration
   * @param properties the serializers
   * @param listeners every listener bean
   * @param customizers every customizer bean
   * @return the producer
   * @throws MskConfigurationException naming the bad property
   */
  @Bean(destroyMethod = "")
  @ConditionalOnMissingBean(MskProducer.class)
  public MskProducer<?, ?> mskProducer(
      MskProducerConfig config,
      MskProducerProperties properties,
      ObjectProvider<MskProducerListener> listeners,
      ObjectProvider<MskProducerCustomizer> customizers) {
    MskProducerBuilder<Object, Object> b =
        MskProducer.builder(
            serializer(properties.getKeySerializer(), "key-serializer").get(),
            serializer(properties.getValueSerializer(), "value-serializer").get());
    b.config(config);
    listeners.orderedStream().forEach(b::listener);
    customizers.orderedStream().forEach(c -> c.customize(b));
    try {
      return b.build();
    } catch (MskConfigurationException e) {
      throw ConfigMapping.named(e);
    }
  }

  /**
   * Closes the producer with the application, waiting at most {@code msk.producer.close-timeout}
   * for records in flight.
   *
   * @param producer the producer
   * @param properties the close timeout
   * @return the closer
   */
  @Bean
  public DisposableBean mskProducerCloser(MskProducer<?, ?> producer, MskProducerProperties properties) {
    java.time.Duration timeout = ConfigMapping.closeTimeout(properties);
    return () -> producer.close(timeout);
  }

  /** A fresh serializer per call, from a class with a no-argument constructor. */
  @SuppressWarnings("unchecked")
  static <T> Supplier<Serializer<T>> serializer(Class<? extends Serializer<?>> type, String property) {
    if (type == null) {
      throw new MskConfigurationException(
          MskProducerProperties.PREFIX + "." + property,
          MskProducerProperties.PREFIX + "." + property + " must name a Serializer class");
    }
    return () -> {
      try {
        return (Serializer<T>) type.getDeclaredConstructor().newInstance();
      } catch (NoSuchMethodException
          | InstantiationException
          | IllegalAccessException
          | InvocationTargetException e) {
        String p = MskProducerProperties.PREFIX + "." + property;
        throw new MskConfigurationException(
            p, p + ": " + type.getName() + " cannot be made with a public no-argument constructor: " + e, e);
      }
    };
  }

  /** Spring Kafka's factory and template, configured like the {@code MskProducer}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(KafkaTemplate.class)
  static class SpringKafka {
    @Bean
    @ConditionalOnMissingBean(ProducerFactory.class)
    MskKafkaProducerFactory<Object, Object> kafkaProducerFactory(
        MskProducer<?, ?> producer, MskProducerProperties properties) {
      return new MskKafkaProducerFactory<>(
          producer,
          Map.of(),
          serializer(properties.getKeySerializer(), "key-serializer"),
          serializer(properties.getValueSerializer(), "value-serializer"));
    }

    @Bean
    @ConditionalOnMissingBean(KafkaTemplate.class)
    KafkaTemplate<?, ?> kafkaTemplate(ProducerFactory<Object, Object> producerFactory) {
      return new KafkaTemplate<>(producerFactory);
    }
  }

  /** The health indicator, contributor {@code mskProducer}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
  @ConditionalOnEnabledHealthIndicator("msk-producer")
  static class Health {
    @Bean
    @ConditionalOnMissingBean(name = "mskProducerHealthIndicator")
    MskProducerHealthIndicator mskProducerHealthIndicator(
        MskProducerConfig config, MskProducerProperties properties) {
      MskProducerProperties.Health h = properties.getHealth();
      return new MskProducerHealthIndicator(config, h.getTimeout(), h.getCacheTtl(), h.getTopics());
    }
  }

  /** Micrometer meters; Spring Boot binds them to its registries. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({MskProducerMetrics.class, io.micrometer.core.instrument.MeterRegistry.class})
  static class Metrics {
    @Bean
    @ConditionalOnMissingBean
    MskProducerMetrics mskProducerMetrics() {
      return MskProducerMetrics.create();
    }
  }

  /** OpenTelemetry tracing of every record, when the application has an OpenTelemetry. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({MskProducerTracing.class, OpenTelemetry.class})
  static class Tracing {
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(OpenTelemetry.class)
    MskProducerTracing mskProducerTracing(OpenTelemetry openTelemetry) {
      return MskProducerTracing.create(openTelemetry);
    }

    @Bean
    @ConditionalOnBean(MskProducerTracing.class)
    MskProducerCustomizer mskProducerTracingCustomizer(MskProducerTracing tracing) {
      return b -> b.instrument(tracing);
    }
  }
}
