package io.github.mskproducer.core.internal.auth;

import java.time.Instant;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * Makes a fresh token for one producer whenever Kafka authenticates or re-authenticates a
 * connection: credentials are resolved from the provider each time (providers cache and refresh
 * them themselves), never reused from a login (failure mode F7).
 */
public final class TokenSource {
  private final AwsCredentialsProvider provider;
  private final String providerDescription;
  private final String region;
  private final IamTokenGenerator generator;
  private final Events events;
  private volatile String lastAccessKeyId;

  public TokenSource(
      AwsCredentialsProvider provider,
      String providerDescription,
      String region,
      IamTokenGenerator generator,
      Events events) {
    this.provider = Objects.requireNonNull(provider, "provider");
    this.providerDescription = providerDescription;
    this.region = Objects.requireNonNull(region, "region");
    this.generator = Objects.requireNonNull(generator, "generator");
    this.events = events == null ? SILENT : events;
    this.credentials = new SteadyCredentials(provider, providerDescription, generator.clock());
  }

  private final SteadyCredentials credentials;

  // A class, not a lambda: the first lambda in a fresh JVM costs the first token milliseconds.
  private static final Events SILENT =
      new Events() {
        @Override
        public void generated(String region, Instant expiresAt) {}
      };

  /** What a token source tells: each token signed, each failure to sign one. */
  @FunctionalInterface
  public interface Events {
    void generated(String region, Instant expiresAt);

    default void failed(CredentialsException cause) {}
  }

  // The first token, signed on the start's warm-up thread while Kafka's producer is built; the
  // first newToken() (Kafka's login, in that constructor) takes it.
  private final java.util.concurrent.atomic.AtomicReference<java.util.concurrent.CompletableFuture<IamTokenGenerator.Token>> prefetched =
      new java.util.concurrent.atomic.AtomicReference<>();
  private volatile CredentialsException firstFailure;
  private volatile boolean firstPending;

  /** Whether the prefetched first token is still being signed. */
  public boolean firstTokenPending() {
    return firstPending;
  }

  /**
   * Prepares the first token to be signed ahead: returns what signs it (to run on another
   * thread); the next {@link #newToken()} waits for it and returns it.
   */
  public Runnable prefetch() {
    java.util.concurrent.CompletableFuture<IamTokenGenerator.Token> f = new java.util.concurrent.CompletableFuture<>();
    prefetched.set(f);
    firstPending = true;
    return new Runnable() {
      @Override
      public void run() {
        try {
          f.complete(signAndTell());
        } catch (CredentialsException e) {
          firstFailure = e;
          f.completeExceptionally(e);
        } catch (RuntimeException | Error e) {
          f.completeExceptionally(e);
        } finally {
          firstPending = false;
        }
      }
    };
  }

  /** Forgets a prefetched first token nobody took: a later newToken() signs a fresh one. */
  public void dropPrefetched() {
    prefetched.set(null);
  }

  /** Why the prefetched first token could not be signed, or null. */
  public CredentialsException firstFailure() {
    return firstFailure;
  }

  public IamTokenGenerator.Token newToken() throws CredentialsException {
    java.util.concurrent.CompletableFuture<IamTokenGenerator.Token> first = prefetched.getAndSet(null);
    if (first != null) {
      try {
        return first.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CredentialsException(
            CredentialsException.Kind.UNAVAILABLE, "interrupted while the first IAM token was signed", e);
      } catch (java.util.concurrent.ExecutionException e) {
        if (e.getCause() instanceof CredentialsException) {
          throw (CredentialsException) e.getCause();
        }
        if (e.getCause() instanceof RuntimeException) {
          throw (RuntimeException) e.getCause();
        }
        throw new IllegalStateException("the first IAM token could not be signed", e.getCause());
      }
    }
    return signAndTell();
  }

  private IamTokenGenerator.Token signAndTell() throws CredentialsException {
    try {
      IamTokenGenerator.Token token = sign();
      events.generated(region, token.expiresAt());
      return token;
    } catch (CredentialsException e) {
      events.failed(e);
      throw e;
    }
  }

  private IamTokenGenerator.Token sign() throws CredentialsException {
    AwsCredentials credentials;
    try {
      credentials = this.credentials.resolve();
    } catch (RuntimeException e) {
      throw new CredentialsException(
          CredentialsException.Kind.UNAVAILABLE,
          "no AWS credentials from the "
              + providerDescription
              + ": "
              + e.getMessage()
              + " (set them up for that source, or choose another with"
              + " auth(MskAuth.iam(c -> ...)))",
          e);
    }
    if (credentials == null) {
      throw new CredentialsException(
          CredentialsException.Kind.UNAVAILABLE,
          "the " + providerDescription + " returned no credentials",
          null);
    }
    lastAccessKeyId = credentials.accessKeyId();
    return generator.generate(credentials, region);
  }

  public String region() {
    return region;
  }

  /** The access key id of the last credentials used (not a secret), for error hints. */
  public String lastAccessKeyId() {
    return lastAccessKeyId;
  }
}
