package io.github.mskproducer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class JsonSerializerTest {
  /** A value Jackson cannot write (no properties, fail-on-empty-beans). */
  private static final class Opaque {}

  @Test
  void writesJson_nullStaysNull_andFailuresNameTheTypeAndTopic() {
    JsonSerializer<Object> json = new JsonSerializer<>();

    assertThat(new String(json.serialize("orders", Map.of("id", 42)), StandardCharsets.UTF_8))
        .isEqualTo("{\"id\":42}");
    assertThat(json.serialize("orders", null)).isNull();
    assertThatThrownBy(() -> json.serialize("orders", new Opaque()))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining(Opaque.class.getName())
        .hasMessageContaining("orders");
  }
}
