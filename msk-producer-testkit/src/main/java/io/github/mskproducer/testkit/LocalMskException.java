package io.github.mskproducer.testkit;

/**
 * Thrown when the local broker cannot do what was asked: it failed to start, a node did not
 * become ready, a knob was given a bad value, or an operation needs another {@link
 * LocalMskBroker.Mode}. The message says what went wrong and how to fix it; the cause, where
 * there is one, is chained.
 */
public class LocalMskException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what went wrong and how to fix it
   */
  public LocalMskException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message what went wrong and how to fix it
   * @param cause the underlying failure
   */
  public LocalMskException(String message, Throwable cause) {
    super(message, cause);
  }
}
