package io.github.mskproducer.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.github.mskproducer.core.MskDeliveryException;

/**
 * A Lambda handler that produces to MSK, with the lifecycle done for you: each invocation runs
 * through {@link LambdaProducer#invoke}, and if any record was not acknowledged, {@link
 * #incomplete} decides (by default, the invocation fails so that Lambda retries it).
 *
 * <pre>{@code
 * public class AuditHandler extends MskProducerHandler<Map<String, Object>, String, String, String> {
 *   private static final LambdaProducer<String, String> PRODUCER =
 *       LambdaProducer.builder(String.class, String.class).producer(b -> b.fromEnvironment()).build();
 *
 *   protected LambdaProducer<String, String> producer() { return PRODUCER; }
 *
 *   protected String handle(Map<String, Object> event, Invocation<String, String> invocation) {
 *     invocation.send("audit", null, event.toString());
 *     return "ok";
 *   }
 * }
 * }</pre>
 *
 * @param <I> the event type
 * @param <O> the response type
 * @param <K> the key type
 * @param <V> the value type
 */
public abstract class MskProducerHandler<I, O, K, V> implements RequestHandler<I, O> {
  /** For subclasses. */
  protected MskProducerHandler() {}

  /**
   * The producer of this execution environment: return the same instance every time (a static
   * field).
   *
   * @return the producer
   */
  protected abstract LambdaProducer<K, V> producer();

  /**
   * Handles one event, sending records through {@code invocation}.
   *
   * @param input the event
   * @param invocation sends records for this invocation
   * @return the response
   * @throws Exception anything; records already sent are flushed all the same
   */
  protected abstract O handle(I input, Invocation<K, V> invocation) throws Exception;

  /**
   * Called when not every record was acknowledged by the end of the invocation. The default
   * throws a retriable {@link MskDeliveryException}, so that Lambda retries the invocation.
   *
   * @param input the event
   * @param result the invocation's result: what failed, what is pending
   * @return the response to return instead
   */
  protected O incomplete(I input, InvocationResult<K, V, O> result) {
    throw new MskDeliveryException(
        "not every record of invocation "
            + result.requestId()
            + " was acknowledged: "
            + result.flush()
            + "; failing the invocation so that Lambda retries it",
        result.flush().failed().isEmpty() ? null : result.flush().failed().get(0).cause(),
        true,
        null,
        null,
        null);
  }

  @Override
  public final O handleRequest(I input, Context context) {
    InvocationResult<K, V, O> result = producer().invoke(context, inv -> handle(input, inv));
    return result.isComplete() ? result.value() : incomplete(input, result);
  }
}
