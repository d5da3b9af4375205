package io.github.mskproducer.core;

/**
 * The producer was closed before the call: nothing was sent. Not retriable on this producer;
 * build a new one (in Lambda, {@code LambdaProducer} does so by itself).
 */
public class MskProducerClosedException extends MskProducerException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was refused, and what to do
   */
  public MskProducerClosedException(String message) {
    super(message, null, false);
  }

  /**
   * Creates the exception for a call that raced {@code close()} and that Kafka refused as
   * closed.
   *
   * @param message what was refused, and what to do
   * @param cause Kafka's refusal
   */
  public MskProducerClosedException(String message, Throwable cause) {
    super(message, cause, false);
  }
}
