package io.github.mskproducer.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Objects;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serializes values as JSON with Jackson. Needs {@code com.fasterxml.jackson.core:jackson-databind}
 * on the classpath (an optional dependency of msk-producer-core).
 *
 * @param <T> the value type
 */
public final class JsonSerializer<T> implements Serializer<T> {
  private final ObjectMapper mapper;

  /** With a default {@link ObjectMapper}. */
  public JsonSerializer() {
    this(new ObjectMapper());
  }

  /**
   * With your {@link ObjectMapper} (modules, naming, dates...).
   *
   * @param mapper the mapper; shared, not copied
   */
  public JsonSerializer(ObjectMapper mapper) {
    this.mapper = Objects.requireNonNull(mapper, "mapper");
  }

  @Override
  public byte[] serialize(String topic, T data) {
    if (data == null) {
      return null;
    }
    try {
      return mapper.writeValueAsBytes(data);
    } catch (JsonProcessingException e) {
      throw new SerializationException(
          "cannot write a " + data.getClass().getName() + " as JSON for topic " + topic, e);
    }
  }
}
