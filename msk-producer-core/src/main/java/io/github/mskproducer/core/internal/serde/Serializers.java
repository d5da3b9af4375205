package io.github.mskproducer.core.internal.serde;

import io.github.mskproducer.core.MskConfigurationException;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.kafka.common.ClusterResource;
import org.apache.kafka.common.ClusterResourceListener;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.ByteBufferSerializer;
import org.apache.kafka.common.serialization.BytesSerializer;
import org.apache.kafka.common.serialization.DoubleSerializer;
import org.apache.kafka.common.serialization.FloatSerializer;
import org.apache.kafka.common.serialization.IntegerSerializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.ShortSerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.serialization.UUIDSerializer;
import org.apache.kafka.common.serialization.VoidSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serializers: Kafka's own for the types it knows, and the ownership rule for the user's.
 *
 * <p>A {@code KafkaProducer} closes the serializers it was given when it closes. An {@code
 * MskProducer} may make several Kafka producers over its life (a start-up restart, a Lambda
 * recycle), so each gets the user's serializers {@linkplain #kept kept}: Kafka's close does not
 * reach them, and the owner closes them once, at the very end ({@link #closeOnce}).
 */
public final class Serializers {
  private static final Logger LOG = LoggerFactory.getLogger(Serializers.class);

  // Every one of these must keep nothing that a close ends (a ListSerializer, which closes the
  // serializer inside it, must not be added): they go to Kafka unwrapped (STATELESS below).
  private static final Map<Class<?>, Supplier<Serializer<?>>> KAFKA =
      Map.ofEntries(
          Map.entry(String.class, StringSerializer::new),
          Map.entry(byte[].class, ByteArraySerializer::new),
          Map.entry(Integer.class, IntegerSerializer::new),
          Map.entry(Long.class, LongSerializer::new),
          Map.entry(Short.class, ShortSerializer::new),
          Map.entry(Float.class, FloatSerializer::new),
          Map.entry(Double.class, DoubleSerializer::new),
          Map.entry(UUID.class, UUIDSerializer::new),
          Map.entry(ByteBuffer.class, ByteBufferSerializer::new),
          Map.entry(Bytes.class, BytesSerializer::new),
          Map.entry(Void.class, VoidSerializer::new));

  // Kafka's own, those of the map above, which keep nothing that a close ends (their close
  // does nothing): given to each Kafka producer as they are. A wrapper would cost every record a
  // call that the JIT does not inline into Kafka's send (a flight recording of table 1 found it
  // at a tenth of the sending thread's time for 100-byte records).
  private static final Set<Class<?>> STATELESS = classesOf(KAFKA);

  private static Set<Class<?>> classesOf(Map<Class<?>, Supplier<Serializer<?>>> serializers) {
    Set<Class<?>> classes = new HashSet<>();
    for (Supplier<Serializer<?>> s : serializers.values()) { // no stream: its classes cost a cold start
      classes.add(s.get().getClass());
    }
    return Set.copyOf(classes);
  }

  private Serializers() {}

  /**
   * Kafka's serializer for {@code type}.
   *
   * @param option the option to name if there is none ({@code keyType}, {@code valueType})
   * @throws MskConfigurationException if Kafka has no serializer for the type
   */
  public static <T> Serializer<T> forType(String option, Class<T> type) {
    Objects.requireNonNull(type, option);
    Supplier<Serializer<?>> made = KAFKA.get(type);
    if (made == null) {
      throw new MskConfigurationException(
          option,
          "Kafka has no serializer for "
              + type.getName()
              + ": use MskProducer.builder(keySerializer, valueSerializer), e.g. with new"
              + " JsonSerializer<>()");
    }
    @SuppressWarnings("unchecked")
    Serializer<T> typed = (Serializer<T>) made.get();
    return typed;
  }

  /**
   * {@code serializer} as a Kafka producer should get it when it does not own it: everything is
   * passed on except {@code close()}. A serializer that listens for the cluster id ({@link
   * ClusterResourceListener}) still hears it. Idempotent: a kept serializer is returned as is.
   * So is one of Kafka's own stateless serializers (exactly its class, not a subclass): closing
   * it changes nothing, so Kafka may have it unwrapped.
   */
  public static <T> Serializer<T> kept(Serializer<T> serializer) {
    Objects.requireNonNull(serializer, "serializer");
    if (serializer instanceof Kept || STATELESS.contains(serializer.getClass())) {
      return serializer;
    }
    return serializer instanceof ClusterResourceListener
        ? new KeptListening<>(serializer)
        : new Kept<>(serializer);
  }

  /** Whether {@code serializer} is a {@linkplain #kept kept} one (its owner is elsewhere). */
  public static boolean isKept(Serializer<?> serializer) {
    return serializer instanceof Kept;
  }

  /**
   * Closes each distinct serializer once (a key and value serializer may be one object), never
   * a {@linkplain #kept kept} one; a failure is logged, not thrown, so the other still closes.
   */
  public static void closeOnce(Serializer<?>... serializers) {
    Set<Serializer<?>> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    for (Serializer<?> s : serializers) {
      if (s == null || s instanceof Kept || !seen.add(s)) {
        continue;
      }
      try {
        s.close();
      } catch (RuntimeException e) {
        LOG.warn("closing serializer {} failed (ignored): {}", s.getClass().getName(), e.toString());
      }
    }
  }

  private static class Kept<T> implements Serializer<T> {
    final Serializer<T> delegate;

    Kept(Serializer<T> delegate) {
      this.delegate = delegate;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
      delegate.configure(configs, isKey);
    }

    @Override
    public byte[] serialize(String topic, T data) {
      return delegate.serialize(topic, data);
    }

    @Override
    public byte[] serialize(String topic, Headers headers, T data) {
      return delegate.serialize(topic, headers, data);
    }

    @Override
    public void close() {
      // the owner closes the delegate, once
    }

    @Override
    public String toString() {
      return "kept(" + delegate + ")";
    }
  }

  private static final class KeptListening<T> extends Kept<T> implements ClusterResourceListener {
    KeptListening(Serializer<T> delegate) {
      super(delegate);
    }

    @Override
    public void onUpdate(ClusterResource clusterResource) {
      ((ClusterResourceListener) delegate).onUpdate(clusterResource);
    }
  }
}
