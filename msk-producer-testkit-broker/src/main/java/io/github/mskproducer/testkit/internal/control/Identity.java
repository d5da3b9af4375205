package io.github.mskproducer.testkit.internal.control;

import java.util.Objects;
import java.util.Optional;

/**
 * One access key of an identity the local cluster accepts, as the control file carries it: the
 * broker's view of a {@code TestIdentity}, with JDK types only (the broker runs in a class loader
 * of its own). Never printed with its secret.
 */
public final class Identity {
  private final String name;
  private final String accessKeyId;
  private final String secretAccessKey;
  private final String sessionToken;

  public Identity(String name, String accessKeyId, String secretAccessKey, String sessionToken) {
    this.name = Objects.requireNonNull(name, "name");
    this.accessKeyId = Objects.requireNonNull(accessKeyId, "accessKeyId");
    this.secretAccessKey = Objects.requireNonNull(secretAccessKey, "secretAccessKey");
    this.sessionToken = sessionToken;
  }

  public String name() {
    return name;
  }

  /** The Kafka principal, {@code User:<name>}. */
  public String principal() {
    return "User:" + name;
  }

  public String accessKeyId() {
    return accessKeyId;
  }

  public String secretAccessKey() {
    return secretAccessKey;
  }

  public Optional<String> sessionToken() {
    return Optional.ofNullable(sessionToken);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Identity)) {
      return false;
    }
    Identity that = (Identity) o;
    return name.equals(that.name)
        && accessKeyId.equals(that.accessKeyId)
        && secretAccessKey.equals(that.secretAccessKey)
        && Objects.equals(sessionToken, that.sessionToken);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, accessKeyId, secretAccessKey, sessionToken);
  }

  @Override
  public String toString() {
    return "Identity{name=" + name + ", accessKeyId=" + accessKeyId + ", secret=***}";
  }
}
