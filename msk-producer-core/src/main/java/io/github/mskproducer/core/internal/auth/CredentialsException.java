package io.github.mskproducer.core.internal.auth;

import java.io.IOException;

/**
 * No usable credentials for a token. An {@link IOException} so that Kafka's SASL layer carries
 * it (as the cause) up to the client; the producer then classifies the failure by its {@link
 * Kind}. The message never holds a secret.
 */
public final class CredentialsException extends IOException {
  private static final long serialVersionUID = 1L;

  /** What went wrong with the credentials. */
  public enum Kind {
    /** None could be resolved. */
    UNAVAILABLE,
    /** They had expired. */
    EXPIRED
  }

  private final Kind kind;

  public CredentialsException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
