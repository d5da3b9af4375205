package io.github.mskproducer.spring;

import io.github.mskproducer.core.MskProducerBuilder;

/**
 * Changes the auto-configured producer's builder after the properties were applied: a
 * serializer's configuration, a listener, a Kafka producer wrapper. Beans of this type run in
 * their {@code @Order}.
 */
@FunctionalInterface
public interface MskProducerCustomizer {
  /**
   * Changes the builder.
   *
   * @param builder the builder, with the properties applied
   */
  void customize(MskProducerBuilder<Object, Object> builder);
}
