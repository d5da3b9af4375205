package io.github.mskproducer.core;

import java.util.Objects;

/**
 * A configuration the producer cannot work with. {@link #option()} names the builder option (or
 * environment variable, or Kafka property) at fault; the message says which values are accepted.
 */
public class MskConfigurationException extends MskProducerException {
  private static final long serialVersionUID = 1L;

  /** The option at fault. */
  private final String option;

  /**
   * Creates the exception.
   *
   * @param option the option at fault, e.g. {@code timeouts.delivery}
   * @param message what is wrong and which values are accepted
   */
  public MskConfigurationException(String option, String message) {
    this(option, message, null);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param option the option at fault
   * @param message what is wrong and which values are accepted
   * @param cause the underlying failure
   */
  public MskConfigurationException(String option, String message, Throwable cause) {
    super(message, cause, false);
    this.option = Objects.requireNonNull(option, "option");
  }

  /**
   * The option at fault, as the builder names it (e.g. {@code region}, {@code
   * timeouts.delivery}), or an environment variable or Kafka property.
   *
   * @return the option's name
   */
  public String option() {
    return option;
  }
}
