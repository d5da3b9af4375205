package io.github.mskproducer.lambda;

/**
 * The work of one invocation: sends records through the {@link Invocation} and returns the
 * function's result.
 *
 * @param <K> the key type
 * @param <V> the value type
 * @param <R> the result type
 */
@FunctionalInterface
public interface InvocationFunction<K, V, R> {
  /**
   * Does the invocation's work.
   *
   * @param invocation sends records for this invocation
   * @return the function's result
   * @throws Exception anything; the records already sent are flushed all the same
   */
  R apply(Invocation<K, V> invocation) throws Exception;
}
