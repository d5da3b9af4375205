package io.github.mskproducer.lambda;

/** Why the Lambda producer built a fresh Kafka producer before an invocation. */
public enum RecycleReason {
  /** The first invocation of this execution environment, or after {@link LambdaProducer#close()}. */
  FIRST_USE,
  /**
   * The gap since the previous invocation ended exceeded the thaw threshold: the environment
   * was frozen long enough for NAT gateways, NLBs or the broker to have dropped its
   * connections, and for its metadata to be stale (F4, F5, F9, F13).
   */
  THAW,
  /** The previous invocation ended with a failure the producer cannot recover from. */
  FATAL_ERROR,
  /** The producer was older than the maximum age. */
  MAX_AGE,
  /**
   * The previous invocation ended with records still pending; the producer was closed then,
   * so that nothing in flight was carried into a freeze (F1, F2).
   */
  PENDING_AT_END,
  /** The environment was restored from a SnapStart snapshot (F10, F11). */
  SNAPSTART_RESTORE,
  /**
   * The previous producer could not start (e.g. a bootstrap name that did not resolve, or no
   * credentials then), or started but its first connection failed authentication (an
   * untrusted broker certificate, keys or a policy the broker refused), which leaves an
   * idempotent producer without a producer id for good: a new one tries again.
   */
  START_FAILED
}
