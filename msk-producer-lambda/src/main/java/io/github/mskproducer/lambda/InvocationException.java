package io.github.mskproducer.lambda;

import io.github.mskproducer.core.MskProducerException;

/**
 * The invocation's own code threw a checked exception; it is the cause. The records it sent
 * before were flushed, and {@link #result()} says what became of them.
 */
public class InvocationException extends MskProducerException {
  private static final long serialVersionUID = 1L;

  /** What became of the records the invocation sent. */
  private final transient InvocationResult<?, ?, ?> result;

  /**
   * Creates the exception.
   *
   * @param message what failed
   * @param cause the invocation's exception
   * @param result the outcome of the records sent
   */
  public InvocationException(String message, Throwable cause, InvocationResult<?, ?, ?> result) {
    super(message, cause, false);
    this.result = result;
  }

  /**
   * The outcome of the records the invocation sent before it failed.
   *
   * @return the result (its value is null)
   */
  public InvocationResult<?, ?, ?> result() {
    return result;
  }
}
