package io.github.mskproducer.lambda;

import io.github.mskproducer.core.MskProducerListener;

/**
 * An {@link MskProducerListener} that also hears the Lambda producer's own events. Give it to
 * {@link LambdaProducerBuilder#listener}; it hears every Kafka producer's events across
 * recycles, and each recycle.
 */
public interface LambdaProducerListener extends MskProducerListener {
  /**
   * The invocation about to run uses a fresh Kafka producer: the previous one was retired (or
   * this is the first: {@link RecycleReason#FIRST_USE}). Reported once per recycle, as {@code
   * InvocationResult.recycled()} is.
   *
   * @param reason why
   * @param requestId the invocation's request id
   */
  default void onRecycled(RecycleReason reason, String requestId) {}
}
