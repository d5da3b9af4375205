package io.github.mskproducer.core;

import java.util.Objects;

/**
 * The broker refused to authenticate the client, or the client could not make credentials to
 * offer. {@link #reason()} classifies the cause as far as the client can tell; the message
 * says what to check.
 */
public class MskAuthenticationException extends MskProducerException {
  private static final long serialVersionUID = 1L;

  /** Why authentication failed, as far as the client can tell. */
  public enum Reason {
    /**
     * The broker rejected the token: a wrong secret, an unknown access key, a token signed for
     * another region, or a clock more than a few minutes off. MSK does not say which.
     */
    INVALID_TOKEN,
    /** The credentials had expired when the token was made. */
    CREDENTIALS_EXPIRED,
    /** No credentials could be found or resolved (default chain, profile, role). */
    NO_CREDENTIALS,
    /** MSK's limit on new IAM connections per broker per second; retriable after a pause. */
    TOO_MANY_CONNECTS,
    /**
     * Re-authentication presented another principal than the connection started with, e.g. a
     * role session name that changes.
     */
    PRINCIPAL_CHANGED,
    /**
     * The port does not offer the client's SASL mechanism: it is the port of another kind of
     * authentication (MSK: 9094 is TLS only, 9096 SCRAM, 9092 plaintext; IAM is 9098 or 9198).
     */
    MECHANISM_NOT_ENABLED,
    /** Anything else the broker or the SASL layer reported. */
    OTHER
  }

  /** The classified cause. */
  private final Reason reason;

  /**
   * Creates the exception.
   *
   * @param reason the classified cause
   * @param message what failed and what to check
   * @param cause the underlying failure
   */
  public MskAuthenticationException(Reason reason, String message, Throwable cause) {
    super(message, cause, Objects.requireNonNull(reason, "reason") == Reason.TOO_MANY_CONNECTS);
    this.reason = reason;
  }

  /**
   * The classified cause.
   *
   * @return the reason
   */
  public Reason reason() {
    return reason;
  }
}
