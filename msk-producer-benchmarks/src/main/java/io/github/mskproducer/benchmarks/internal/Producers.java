package io.github.mskproducer.benchmarks.internal;

import io.github.mskproducer.benchmarks.internal.handwired.HandWired;
import io.github.mskproducer.core.MskProducer;
import io.github.mskproducer.core.MskProducerBuilder;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;

/** The two producers compared, built with the same settings. */
public final class Producers {
  private Producers() {}

  /**
   * msk-producer with its defaults (acks=all, idempotence, lz4, linger 10 ms, 64 KiB batches) and
   * the default credentials chain.
   *
   * @param t the broker
   * @param customize more settings
   * @return the producer
   */
  public static MskProducer<byte[], byte[]> sdk(Target t, Consumer<MskProducerBuilder<byte[], byte[]>> customize) {
    MskProducerBuilder<byte[], byte[]> b =
        MskProducer.builder(byte[].class, byte[].class)
            .bootstrapServers(t.bootstrap())
            .region(t.region())
            .truststore(Path.of(t.truststore()));
    customize.accept(b);
    return b.build();
  }

  /**
   * The hand-wired KafkaProducer with aws-msk-iam-auth, same settings.
   *
   * @param t the broker
   * @param extra more properties
   * @return the producer
   */
  public static KafkaProducer<byte[], byte[]> handWired(Target t, Map<String, String> extra) {
    return HandWired.bytes(t.bootstrap(), t.truststore(), extra);
  }

  /**
   * Values of this size that look like what producers send: a JSON order event (field names that
   * repeat, numbers and ids that vary) padded with random lower-case letters, 4,096 different
   * ones so that a batch rarely holds the same value twice. lz4 then has about as much to do as
   * with real events.
   *
   * @param size bytes per value
   * @param count how many different values
   * @return the values
   */
  public static byte[][] payloads(int size, int count) {
    Random r = new Random(42);
    byte[][] out = new byte[count][];
    for (int n = 0; n < count; n++) {
      StringBuilder sb =
          new StringBuilder(size)
              .append("{\"orderId\":\"o-")
              .append(100_000 + r.nextInt(900_000))
              .append("\",\"customerId\":\"c-")
              .append(r.nextInt(10_000))
              .append("\",\"amount\":")
              .append(r.nextInt(100_000) / 100.0)
              .append(",\"currency\":\"EUR\",\"note\":\"");
      while (sb.length() < size - 2) {
        sb.append((char) ('a' + r.nextInt(26)));
      }
      sb.append("\"}");
      byte[] b = sb.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      out[n] = b.length == size ? b : java.util.Arrays.copyOf(b, size);
    }
    return out;
  }
}
