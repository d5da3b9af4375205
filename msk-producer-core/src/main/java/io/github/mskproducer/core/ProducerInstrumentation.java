package io.github.mskproducer.core;

import java.util.function.UnaryOperator;
import org.apache.kafka.clients.producer.Producer;

/**
 * Instruments the Kafka producers an {@link MskProducer} runs on, e.g. with tracing ({@code
 * msk-producer-opentelemetry}'s {@code MskProducerTracing}): {@link #wrap} is applied to every
 * Kafka producer made (a start-up restart, and in Lambda each recycle, makes a new one), after
 * the start-up checks and before the first send. A send does not always reach Kafka on the
 * caller's thread (the first send to a topic waits for its check on a worker; a retry runs on
 * the retry thread): {@link #captureContext} carries the caller's context (a trace, a logging
 * MDC) there.
 */
public interface ProducerInstrumentation {
  /**
   * Wraps a Kafka producer. The wrapper must pass every call on to the producer it was given,
   * and closing it must close that producer.
   *
   * @param producer the Kafka producer
   * @param <K> the key type
   * @param <V> the value type
   * @return a wrapper of the producer (or the producer itself)
   */
  <K, V> Producer<K, V> wrap(Producer<K, V> producer);

  /**
   * Called on the thread that calls {@code send}, for each record: captures that thread's
   * context. The producer runs the record's Kafka send through what this returns whenever it
   * runs on another thread. Default: nothing to carry.
   *
   * @return runs a task in the captured context
   */
  default UnaryOperator<Runnable> captureContext() {
    return UnaryOperator.identity();
  }
}
