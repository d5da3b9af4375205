package io.github.mskproducer.core.internal.auth;

import java.util.function.UnaryOperator;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * The AWS SDK's default credentials chain, with its first two links read directly: Java system
 * properties ({@code aws.accessKeyId}, {@code aws.secretAccessKey}, {@code aws.sessionToken}),
 * then environment variables ({@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}, {@code
 * AWS_SESSION_TOKEN}), as the SDK's chain reads them first, in that order. Lambda puts the
 * function's credentials in those environment variables; building the SDK's chain for them loads
 * some 500 classes (profile files, container and instance providers) on the start's critical
 * path, measured in docs/benchmarks.md. Anything else (no key pair in either place, or only half
 * of one) goes to the SDK's own chain, built on first use, so that every other source and every
 * error message stay the SDK's.
 */
public final class DefaultChain implements AwsCredentialsProvider, SdkAutoCloseable {
  private final UnaryOperator<String> properties;
  private final UnaryOperator<String> environment;
  private volatile DefaultCredentialsProvider sdk; // made on first use
  private boolean closed; // under this

  /** The chain over this JVM's system properties and environment. */
  public DefaultChain() {
    this(null, null); // read directly: no lambda on a fresh JVM's first token
  }

  DefaultChain(UnaryOperator<String> properties, UnaryOperator<String> environment) {
    this.properties = properties;
    this.environment = environment;
  }

  @Override
  public AwsCredentials resolveCredentials() {
    AwsCredentials direct =
        fromPair(
            property("aws.accessKeyId"), property("aws.secretAccessKey"), property("aws.sessionToken"));
    if (direct == null) {
      direct =
          fromPair(
              variable("AWS_ACCESS_KEY_ID"), variable("AWS_SECRET_ACCESS_KEY"), variable("AWS_SESSION_TOKEN"));
    }
    return direct != null ? direct : sdk().resolveCredentials();
  }

  private String property(String name) {
    return properties == null ? System.getProperty(name) : properties.apply(name);
  }

  private String variable(String name) {
    return environment == null ? System.getenv(name) : environment.apply(name);
  }

  /** Whether the last call found its credentials without the SDK's chain (for tests). */
  boolean usedSdkChain() {
    return sdk != null;
  }

  private static AwsCredentials fromPair(String id, String secret, String token) {
    if (isBlank(id) || isBlank(secret)) {
      return null;
    }
    return isBlank(token)
        ? AwsBasicCredentials.create(id.trim(), secret.trim())
        : AwsSessionCredentials.create(id.trim(), secret.trim(), token.trim());
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }

  private DefaultCredentialsProvider sdk() {
    DefaultCredentialsProvider p = sdk;
    if (p == null) {
      synchronized (this) {
        if (closed) {
          throw new IllegalStateException("the credentials provider is closed");
        }
        p = sdk;
        if (p == null) {
          p = DefaultCredentialsProvider.builder().build();
          sdk = p;
        }
      }
    }
    return p;
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      if (sdk != null) {
        sdk.close();
      }
    }
  }

  @Override
  public String toString() {
    return "DefaultChain";
  }
}
