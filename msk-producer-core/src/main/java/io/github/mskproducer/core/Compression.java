package io.github.mskproducer.core;

import java.util.Locale;

/** Batch compression ({@code compression.type}). */
public enum Compression {
  /** No compression. */
  NONE,
  /** gzip: small, slow. */
  GZIP,
  /** snappy. */
  SNAPPY,
  /** lz4: fast, and one of the two MSK recommends; the default. */
  LZ4,
  /** zstd: smallest at moderate cost; MSK's other recommendation. */
  ZSTD;

  /**
   * The value of Kafka's {@code compression.type} property.
   *
   * @return e.g. {@code lz4}
   */
  public String kafkaValue() {
    return name().toLowerCase(Locale.ROOT);
  }
}
