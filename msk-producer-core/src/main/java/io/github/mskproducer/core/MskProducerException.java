package io.github.mskproducer.core;

/**
 * The base of every exception msk-producer throws or completes a future with. Unchecked. The
 * message says what went wrong and what to do; the cause, where there is one, is chained.
 * Subclasses tell configuration, authentication, authorization and delivery failures apart.
 */
public class MskProducerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Whether retrying may help. */
  private final boolean retriable;

  /**
   * Creates the exception.
   *
   * @param message what went wrong and what to do
   * @param cause the underlying failure, or null
   * @param retriable whether trying again later may succeed
   */
  public MskProducerException(String message, Throwable cause, boolean retriable) {
    super(message, cause);
    this.retriable = retriable;
  }

  /**
   * Whether the same operation may succeed if tried again later (a timeout, a broker that was
   * away, {@code Too many connects}); false when it cannot succeed without a change
   * (configuration, permissions, a record too large).
   *
   * @return true if retrying may help
   */
  public boolean isRetriable() {
    return retriable;
  }
}
