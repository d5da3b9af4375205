package io.github.mskproducer.spring;

import io.github.mskproducer.core.MskConfigurationException;
import io.github.mskproducer.core.MskProducer;
import io.github.mskproducer.core.MskProducerBuilder;
import io.github.mskproducer.core.MskProducerConfig;
import io.github.mskproducer.core.MskProducerListener;
import io.github.mskproducer.micrometer.MskProducerMetrics;
import io.github.mskproducer.opentelemetry.MskProducerTracing;
import io.github.mskproducer.spring.internal.ConfigMapping;
import io.github.mskproducer.spring.internal.SpringBootSupport;
import io.github.mskproducer.spring.internal.SpringKafkaSettings;
import io.opentelemetry.api.OpenTelemetry;
import java.lang.reflect.InvocationTargetException;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serializer;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.DestructionAwareBeanPostProcessor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
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
  /** The name of the starter's producer bean. */
  static final String PRODUCER_BEAN = "mskProducer";

  /**
   * Made by Spring Boot.
   *
   * @throws MskConfigurationException on Spring Boot before 4, which the starter does not
   *     support (it would start without its health indicator)
   */
  public MskProducerAutoConfiguration() {
    SpringBootSupport.check(org.springframework.boot.SpringBootVersion.getVersion());
  }

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
   * Closes the starter's producer with the application, waiting at most {@code
   * msk.producer.close-timeout} for records in flight: as part of destroying that bean, so after
   * every bean that depends on it (a controller flushing in its {@code @PreDestroy}, the Kafka
   * template's factory).
   *
   * @param properties the close timeout, read when the application closes
   * @return the post-processor
   */
  @Bean
  static DestructionAwareBeanPostProcessor mskProducerCloser(ObjectProvider<MskProducerProperties> properties) {
    return new DestructionAwareBeanPostProcessor() {
      @Override
      public boolean requiresDestruction(Object bean) {
        return bean instanceof MskProducer;
      }

      @Override
      public void postProcessBeforeDestruction(Object bean, String beanName) {
        if (bean instanceof MskProducer && PRODUCER_BEAN.equals(beanName)) {
          MskProducerProperties p = properties.getIfAvailable(MskProducerProperties::new);
          ((MskProducer<?, ?>) bean).close(ConfigMapping.closeTimeout(p));
        }
      }
    };
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

  /**
   * The producer; its own class, before the Spring Kafka one, so that the latter sees it. With a
   * producer of yours, none of it: neither the producer nor its meters (which hear only the
   * producer they are a listener of).
   */
  @Configuration(proxyBeanMethods = false)
  @Order(0)
  @ConditionalOnMissingBean(MskProducer.class)
  static class ProducerConfiguration {
    /**
     * Micrometer meters of the starter's producer (its listener); Spring Boot binds them to its
     * registries. Tagged {@code spring.id=mskProducer}, as Spring Boot tags the Kafka meters of
     * Spring Kafka's producers ({@code spring.id=<factory>.<client id>}): Micrometer drops a
     * Kafka meter when another client registers the same name with more tags, so without the tag
     * the producer's {@code kafka.producer.*} meters would vanish at the template's first send.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({MskProducerMetrics.class, io.micrometer.core.instrument.MeterRegistry.class})
    static class Metrics {
      @Bean
      @ConditionalOnMissingBean
      MskProducerMetrics mskProducerMetrics() {
        return MskProducerMetrics.create(
            io.micrometer.core.instrument.Tags.of("spring.id", PRODUCER_BEAN));
      }
    }

    /**
     * The producer, starting (its start never holds the application's).
     *
     * @param config the configuration
     * @param properties the serializers
     * @param listeners every listener bean
     * @param customizers every customizer bean
     * @param environment the application's properties, for a hint when only Spring Boot's own
     *     {@code spring.kafka.bootstrap-servers} is set
     * @return the producer
     * @throws MskConfigurationException naming the bad property
     */
    @Bean(name = PRODUCER_BEAN, destroyMethod = "")
    @ConditionalOnMissingBean(MskProducer.class)
    public MskProducer<?, ?> mskProducer(
        MskProducerConfig config,
        MskProducerProperties properties,
        ObjectProvider<MskProducerListener> listeners,
        ObjectProvider<MskProducerCustomizer> customizers,
        org.springframework.core.env.Environment environment) {
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
        boolean bootstrapGiven = b.config().bootstrapServers().filter(s -> !s.isBlank()).isPresent();
        throw ConfigMapping.named(e, bootstrapGiven, environment::containsProperty);
      }
    }
  }

  /** Spring Kafka's factory and template, configured like the {@code MskProducer}. */
  @Configuration(proxyBeanMethods = false)
  @Order(1)
  @ConditionalOnClass(KafkaTemplate.class)
  @ConditionalOnSingleCandidate(MskProducer.class)
  static class SpringKafka {
    /** What Spring Boot would set on the factory and template the starter's replace. */
    @Bean
    static SpringKafkaSettings mskSpringKafkaSettings(
        org.springframework.core.env.Environment environment,
        ObjectProvider<org.springframework.kafka.support.converter.RecordMessageConverter> converter,
        ObjectProvider<org.springframework.kafka.support.ProducerListener<Object, Object>> listener) {
      return new SpringKafkaSettings(environment, converter, listener);
    }

    @Bean
    @ConditionalOnMissingBean(ProducerFactory.class)
    MskKafkaProducerFactory<Object, Object> kafkaProducerFactory(
        MskProducer<?, ?> producer,
        MskProducerProperties properties,
        SpringKafkaSettings springKafka) {
      MskKafkaProducerFactory<Object, Object> factory =
          new MskKafkaProducerFactory<>(
              producer,
              Map.of(),
              serializer(properties.getKeySerializer(), "key-serializer"),
              serializer(properties.getValueSerializer(), "value-serializer"));
      springKafka.applyTo(factory);
      return factory;
    }

    /**
     * The template, with what Spring Boot would set on its own (whose place it takes): {@code
     * spring.kafka.template.*}, the message converter and producer listener beans.
     */
    @Bean
    @ConditionalOnMissingBean(KafkaTemplate.class)
    KafkaTemplate<?, ?> kafkaTemplate(
        ProducerFactory<Object, Object> producerFactory, SpringKafkaSettings springKafka) {
      KafkaTemplate<Object, Object> template = new KafkaTemplate<>(producerFactory);
      springKafka.applyTo(template);
      return template;
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
        ObjectProvider<MskProducer<?, ?>> producer,
        MskProducerConfig config,
        MskProducerProperties properties) {
      MskProducerProperties.Health h = properties.getHealth();
      // The producer's own configuration and state when there is one producer (it may be yours).
      MskProducer<?, ?> p = producer.getIfUnique();
      return p != null
          ? new MskProducerHealthIndicator(p, h.getTimeout(), h.getCacheTtl(), h.getTopics())
          : new MskProducerHealthIndicator(config, h.getTimeout(), h.getCacheTtl(), h.getTopics());
    }
  }

  /**
   * OpenTelemetry tracing of every record, when the application has an {@link OpenTelemetry}
   * bean (its own, Spring Boot's or OpenTelemetry's starter's: looked up when the producer is
   * made, so in whatever order the auto-configurations run) or its own {@link
   * MskProducerTracing}.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({MskProducerTracing.class, OpenTelemetry.class})
  static class Tracing {
    @Bean
    MskProducerCustomizer mskProducerTracingCustomizer(
        ObjectProvider<MskProducerTracing> own, ObjectProvider<OpenTelemetry> openTelemetry) {
      return b -> {
        MskProducerTracing t = tracing(own, openTelemetry);
        if (t != null) {
          b.instrument(t);
        }
      };
    }

    static MskProducerTracing tracing(
        ObjectProvider<MskProducerTracing> own, ObjectProvider<OpenTelemetry> openTelemetry) {
      MskProducerTracing t = own.getIfUnique();
      if (t != null) {
        return t;
      }
      OpenTelemetry o = openTelemetry.getIfUnique();
      return o == null ? null : MskProducerTracing.create(o);
    }
  }

  /** The same tracing for Spring Kafka's template. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({MskProducerTracing.class, OpenTelemetry.class, KafkaTemplate.class})
  static class TemplateTracing {
    @Bean
    static BeanPostProcessor mskKafkaProducerFactoryTracing(
        ObjectProvider<MskProducerTracing> own, ObjectProvider<OpenTelemetry> openTelemetry) {
      return new BeanPostProcessor() {
        @Override
        public Object postProcessAfterInitialization(Object bean, String beanName) {
          if (bean instanceof MskKafkaProducerFactory) {
            MskProducerTracing t = Tracing.tracing(own, openTelemetry);
            if (t != null) {
              trace((MskKafkaProducerFactory<?, ?>) bean, t);
            }
          }
          return bean;
        }
      };
    }

    private static <K, V> void trace(MskKafkaProducerFactory<K, V> factory, MskProducerTracing t) {
      factory.addPostProcessor(t::wrap);
    }
  }

  /** Spring Boot's customizers of Kafka producer factories (its Kafka metrics), on ours too. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(
      name = {
        "org.springframework.kafka.core.KafkaTemplate",
        "org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer"
      })
  static class BootKafkaCustomizers {
    @Bean
    static BeanPostProcessor mskKafkaProducerFactoryCustomizers(
        ObjectProvider<DefaultKafkaProducerFactoryCustomizer> customizers) {
      return new BeanPostProcessor() {
        @Override
        public Object postProcessBeforeInitialization(Object bean, String beanName) {
          if (bean instanceof MskKafkaProducerFactory) {
            customizers.orderedStream().forEach(c -> c.customize((MskKafkaProducerFactory<?, ?>) bean));
          }
          return bean;
        }
      };
    }
  }
}
