package io.github.mskproducer.core.internal.serde;

import io.github.mskproducer.core.MskConfigurationException;
import java.nio.ByteBuffer;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
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

  // Kafka's own serializers that keep nothing a close ends (their close does nothing): given to
  // each Kafka producer as they are. A wrapper would cost every record a call that the JIT does
  // not inline into Kafka's send (a flight recording of table 1 found it at a tenth of the
  // sending thread's time for 100-byte records). One that keeps something a close ends (a
  // ListSerializer closes the serializer inside it) must not be added. By name, so that a cold
  // start loads only the serializers it uses (a map of constructors here cost eleven lambdas and
  // eleven classes at every build()).
  private static final Set<String> STATELESS =
      Set.of(
          "org.apache.kafka.common.serialization.StringSerializer",
          "org.apache.kafka.common.serialization.ByteArraySerializer",
          "org.apache.kafka.common.serialization.IntegerSerializer",
          "org.apache.kafka.common.serialization.LongSerializer",
          "org.apache.kafka.common.serialization.ShortSerializer",
          "org.apache.kafka.common.serialization.FloatSerializer",
          "org.apache.kafka.common.serialization.DoubleSerializer",
          "org.apache.kafka.common.serialization.UUIDSerializer",
          "org.apache.kafka.common.serialization.ByteBufferSerializer",
          "org.apache.kafka.common.serialization.BytesSerializer",
          "org.apache.kafka.common.serialization.VoidSerializer");

  /** Kafka's serializer for a type, or null: each of them is in {@link #STATELESS}. */
  private static Serializer<?> kafkaSerializer(Class<?> type) {
    if (type == String.class) {
      return new StringSerializer();
    } else if (type == byte[].class) {
      return new ByteArraySerializer();
    } else if (type == Integer.class) {
      return new IntegerSerializer();
    } else if (type == Long.class) {
      return new LongSerializer();
    } else if (type == Short.class) {
      return new ShortSerializer();
    } else if (type == Float.class) {
      return new FloatSerializer();
    } else if (type == Double.class) {
      return new DoubleSerializer();
    } else if (type == UUID.class) {
      return new UUIDSerializer();
    } else if (type == ByteBuffer.class) {
      return new ByteBufferSerializer();
    } else if (type == Bytes.class) {
      return new BytesSerializer();
    } else if (type == Void.class) {
      return new VoidSerializer();
    }
    return null;
  }

  /** Whether a serializer is exactly one of Kafka's stateless ones (not a subclass of one). */
  static boolean stateless(Serializer<?> serializer) {
    Class<?> c = serializer.getClass();
    return STATELESS.contains(c.getName()) && c.getClassLoader() == Serializer.class.getClassLoader();
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
    Serializer<?> made = kafkaSerializer(type);
    if (made == null) {
      throw new MskConfigurationException(
          option,
          "Kafka has no serializer for "
              + type.getName()
              + ": use MskProducer.builder(keySerializer, valueSerializer), e.g. with new"
              + " JsonSerializer<>()");
    }
    @SuppressWarnings("unchecked")
    Serializer<T> typed = (Serializer<T>) made;
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
    if (serializer instanceof Kept || stateless(serializer)) {
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
