package io.github.mskproducer.examples.internal;

import java.util.SplittableRandom;

/**
 * Generated record values: slices of a random alphanumeric text, so that compression sees
 * data about as compressible as real JSON rather than a run of one character.
 */
public final class Payloads {
  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789      ,.:{}\"";

  private final String pool;
  private final int size;

  /**
   * Payloads of one size.
   *
   * @param size the size of each value, in characters (and bytes: the text is ASCII)
   */
  public Payloads(int size) {
    this.size = size;
    SplittableRandom random = new SplittableRandom(42);
    int length = Math.max(64 * 1024, size * 2);
    StringBuilder b = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    this.pool = b.toString();
  }

  /**
   * The value of record {@code seq}.
   *
   * @param seq the record's sequence number
   * @return a value of the configured size
   */
  public String value(long seq) {
    int start = (int) Math.floorMod(seq * 7919, (long) (pool.length() - size + 1));
    return pool.substring(start, start + size);
  }
}
