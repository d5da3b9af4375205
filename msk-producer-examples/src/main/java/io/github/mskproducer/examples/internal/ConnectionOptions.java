package io.github.mskproducer.examples.internal;

import io.github.mskproducer.core.MskAuth;
import io.github.mskproducer.core.MskConfigurationException;
import io.github.mskproducer.core.MskProducerBuilder;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * The connection options every command shares: where the cluster is and how to authenticate.
 * Static IAM credentials come from the AWS SDK's default chain (the standard environment
 * variables, a profile, a role).
 */
public final class ConnectionOptions {
  /** The authentication mechanisms the commands offer. */
  public enum Auth {
    /** IAM, SASL/OAUTHBEARER with this library's token signer (MSK port 9098 or 9198). */
    IAM,
    /** IAM through aws-msk-iam-auth's {@code AWS_MSK_IAM} mechanism. */
    IAM_LEGACY,
    /** Mutual TLS (MSK port 9094). */
    TLS,
    /** SCRAM-SHA-512 (MSK port 9096). */
    SCRAM,
    /** No encryption, no authentication (MSK port 9092; local development only). */
    PLAINTEXT
  }

  @Option(
      names = "--bootstrap",
      paramLabel = "HOST:PORT[,...]",
      description = "The cluster's bootstrap brokers.")
  String bootstrap;

  @Option(
      names = "--region",
      paramLabel = "REGION",
      description = "The cluster's region (default: from the MSK host names, else AWS_REGION).")
  String region;

  @Option(
      names = "--auth",
      paramLabel = "IAM|IAM_LEGACY|TLS|SCRAM|PLAINTEXT",
      description = "Authentication (default: ${DEFAULT-VALUE}).")
  Auth auth = Auth.IAM;

  @ArgGroup(exclusive = true)
  Credentials credentials;

  /** At most one explicit source of IAM credentials. */
  static final class Credentials {
    @Option(names = "--profile", paramLabel = "PROFILE", description = "IAM credentials from this AWS profile.")
    String profile;

    @Option(names = "--role-arn", paramLabel = "ARN", description = "IAM credentials by assuming this role.")
    String roleArn;
  }

  @Option(
      names = "--role-session-name",
      paramLabel = "NAME",
      description = "Session name for --role-arn (default: ${DEFAULT-VALUE}).")
  String roleSessionName = "msk-producer-cli";

  @Option(
      names = "--scram-username",
      paramLabel = "USER",
      description = "SCRAM user (--auth SCRAM); the password comes from MSK_SCRAM_PASSWORD.")
  String scramUser;

  @Option(
      names = "--truststore-pem",
      paramLabel = "FILE",
      description = "Trust the broker certificates in this PEM file (not needed for MSK).")
  Path truststorePem;

  /**
   * The bootstrap servers, or null when not given.
   *
   * @return the option's value
   */
  public String bootstrap() {
    return bootstrap;
  }

  /**
   * Applies these options to a producer builder.
   *
   * @param builder the builder
   * @param <K> the key type
   * @param <V> the value type
   * @return the builder
   * @throws MskConfigurationException naming the option, when an option is missing or wrong
   */
  public <K, V> MskProducerBuilder<K, V> applyTo(MskProducerBuilder<K, V> builder) {
    if (bootstrap == null) {
      throw new MskConfigurationException(
          "--bootstrap", "Missing required option: '--bootstrap=HOST:PORT[,...]'");
    }
    builder.bootstrapServers(bootstrap);
    if (region != null) {
      builder.region(region);
    }
    builder.auth(auth());
    if (truststorePem != null) {
      builder.truststore(truststorePem);
    }
    return builder;
  }

  private MskAuth auth() {
    switch (auth) {
      case TLS:
        return MskAuth.tls();
      case PLAINTEXT:
        return MskAuth.plaintext();
      case SCRAM:
        String password = System.getenv("MSK_SCRAM_PASSWORD");
        if (scramUser == null || password == null) {
          throw new MskConfigurationException(
              "--scram-username", "--auth SCRAM needs --scram-username and MSK_SCRAM_PASSWORD");
        }
        return MskAuth.scram(scramUser, password);
      default:
        boolean legacy = auth == Auth.IAM_LEGACY;
        if (credentials != null && credentials.profile != null) {
          String profile = credentials.profile;
          return legacy ? MskAuth.iamLegacy(c -> c.profile(profile)) : MskAuth.iam(c -> c.profile(profile));
        }
        if (credentials != null && credentials.roleArn != null) {
          String role = credentials.roleArn;
          return legacy
              ? MskAuth.iamLegacy(c -> c.assumeRole(role, roleSessionName))
              : MskAuth.iam(c -> c.assumeRole(role, roleSessionName));
        }
        return legacy ? MskAuth.iamLegacy(c -> c.defaultChain()) : MskAuth.iam();
    }
  }

  /**
   * How the commands describe the target: the auth mechanism, never a secret.
   *
   * @return e.g. {@code IAM}
   */
  public String authName() {
    return auth.name();
  }
}
