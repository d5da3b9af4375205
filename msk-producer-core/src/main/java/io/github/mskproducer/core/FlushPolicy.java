package io.github.mskproducer.core;

/** When the producer waits for acknowledgements. */
public enum FlushPolicy {
  /**
   * {@code send} returns at once; records are batched; the caller waits with {@link
   * MskProducer#flush(java.time.Duration)} or on the returned futures. The default: highest
   * throughput.
   */
  ASYNC,
  /**
   * {@code send} returns once the record is acknowledged or has failed (the returned future is
   * complete), as code that calls {@code send(...).get()} for every record does. Simple and
   * slow; linger defaults to 0 in this mode.
   */
  PER_SEND
}
