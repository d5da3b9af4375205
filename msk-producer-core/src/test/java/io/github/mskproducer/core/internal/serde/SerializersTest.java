package io.github.mskproducer.core.internal.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mskproducer.core.MskConfigurationException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.ClusterResource;
import org.apache.kafka.common.ClusterResourceListener;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class SerializersTest {
  static class Counting implements Serializer<String> {
    final AtomicInteger closes = new AtomicInteger();
    final List<String> calls = new ArrayList<>();

    @Override
    public byte[] serialize(String topic, String data) {
      calls.add("serialize " + topic);
      return new byte[] {1};
    }

    @Override
    public byte[] serialize(String topic, org.apache.kafka.common.header.Headers headers, String data) {
      calls.add("serialize+headers " + topic);
      return new byte[] {2};
    }

    @Override
    public void configure(java.util.Map<String, ?> configs, boolean isKey) {
      calls.add("configure " + isKey);
    }

    @Override
    public void close() {
      closes.incrementAndGet();
    }
  }

  static final class Listening extends Counting implements ClusterResourceListener {
    String clusterId;

    @Override
    public void onUpdate(ClusterResource clusterResource) {
      clusterId = clusterResource.clusterId();
    }
  }

  @Test
  void kept_passesEverythingOn_butClose() {
    Counting s = new Counting();
    Serializer<String> kept = Serializers.kept(s);
    kept.configure(java.util.Map.of(), true);
    assertThat(kept.serialize("t", "x")).containsExactly(1);
    assertThat(kept.serialize("t", new RecordHeaders(), "x")).containsExactly(2);
    kept.close();
    assertThat(s.calls).containsExactly("configure true", "serialize t", "serialize+headers t");
    assertThat(s.closes).hasValue(0);
    assertThat(Serializers.kept(kept)).isSameAs(kept);
    assertThat(Serializers.isKept(kept)).isTrue();
    assertThat(Serializers.isKept(s)).isFalse();
  }

  @Test
  void kept_leavesKafkasStatelessSerializersUnwrapped_butNotTheirSubclasses() {
    Serializer<byte[]> bytes = new org.apache.kafka.common.serialization.ByteArraySerializer();
    Serializer<String> string = new StringSerializer();
    assertThat(Serializers.kept(bytes)).isSameAs(bytes);
    assertThat(Serializers.kept(string)).isSameAs(string);
    assertThat(Serializers.forType("valueType", Long.class)).satisfies(s -> assertThat(Serializers.kept(s)).isSameAs(s));
    Serializer<String> subclass = new StringSerializer() {};
    assertThat(Serializers.isKept(Serializers.kept(subclass))).as("a subclass may close something").isTrue();
  }

  @Test
  void kept_stillHearsTheClusterId() {
    Listening s = new Listening();
    Serializer<String> kept = Serializers.kept(s);
    assertThat(kept).isInstanceOf(ClusterResourceListener.class);
    ((ClusterResourceListener) kept).onUpdate(new ClusterResource("c-1"));
    assertThat(s.clusterId).isEqualTo("c-1");
    assertThat(Serializers.kept(new Counting())).isNotInstanceOf(ClusterResourceListener.class);
  }

  @Test
  void closeOnce_closesEachObjectOnce_neverAKeptOne_andSurvivesAFailure() {
    Counting a = new Counting();
    Counting b = new Counting();
    Serializer<String> failing =
        new Counting() {
          @Override
          public void close() {
            super.close();
            throw new IllegalStateException("boom");
          }
        };
    Serializers.closeOnce(a, a, Serializers.kept(b), failing, b, null);
    assertThat(a.closes).hasValue(1);
    assertThat(b.closes).hasValue(1);
  }

  @Test
  void forType_knowsKafkasTypes_andNamesTheOptionOtherwise() {
    assertThat(Serializers.forType("keyType", String.class)).isInstanceOf(StringSerializer.class);
    assertThat(Serializers.forType("keyType", String.class))
        .as("a fresh one each time")
        .isNotSameAs(Serializers.forType("keyType", String.class));
    assertThatThrownBy(() -> Serializers.forType("valueType", Thread.class))
        .isInstanceOfSatisfying(
            MskConfigurationException.class,
            e -> {
              assertThat(e.option()).isEqualTo("valueType");
              assertThat(e.getMessage()).contains("java.lang.Thread", "MskProducer.builder(keySerializer, valueSerializer)");
            });
  }

  @Test
  void everyTypeKafkaSerializes_getsAStatelessSerializer_thatGoesToKafkaUnwrapped() {
    Class<?>[] types = {
      String.class, byte[].class, Integer.class, Long.class, Short.class, Float.class, Double.class,
      java.util.UUID.class, java.nio.ByteBuffer.class, org.apache.kafka.common.utils.Bytes.class, Void.class
    };
    for (Class<?> type : types) {
      Serializer<?> s = Serializers.forType("valueType", type);
      assertThat(s).as("%s", type).isNotNull();
      assertThat(s.getClass().getPackageName()).isEqualTo("org.apache.kafka.common.serialization");
      assertThat(Serializers.kept(s)).as("%s's serializer, unwrapped", type).isSameAs(s);
    }
  }
}
