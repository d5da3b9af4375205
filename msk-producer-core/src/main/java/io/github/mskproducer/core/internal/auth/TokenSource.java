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
  }

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

  public IamTokenGenerator.Token newToken() throws CredentialsException {
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
      credentials = provider.resolveCredentials();
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
