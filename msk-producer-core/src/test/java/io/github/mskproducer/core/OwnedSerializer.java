package io.github.mskproducer.core;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A serializer with state, as a schema-registry one has: once closed it refuses to work, and it
 * counts how often it was closed.
 */
final class OwnedSerializer implements Serializer<String> {
  final AtomicInteger closes = new AtomicInteger();
  final AtomicInteger serialized = new AtomicInteger();

  @Override
  public byte[] serialize(String topic, String data) {
    if (closes.get() > 0) {
      throw new IllegalStateException("serializer used after close()");
    }
    serialized.incrementAndGet();
    return data == null ? null : data.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    closes.incrementAndGet();
  }
}
