package io.github.mskproducer.core;

import io.github.mskproducer.core.internal.auth.AccessKeys;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * How the producer authenticates to the brokers, and so which MSK port it needs. Immutable.
 *
 * <table>
 *   <caption>Mechanisms and MSK ports</caption>
 *   <tr><th>factory</th><th>what</th><th>MSK port (VPC / public)</th></tr>
 *   <tr><td>{@link #iam()}</td><td>IAM: SASL_SSL, OAUTHBEARER, tokens signed by this SDK (the
 *       default)</td><td>9098 / 9198</td></tr>
 *   <tr><td>{@link #iamLegacy(Consumer)}</td><td>IAM through aws-msk-iam-auth's {@code
 *       AWS_MSK_IAM} mechanism (needs aws-msk-iam-auth)</td><td>9098 / 9198</td></tr>
 *   <tr><td>{@link #tls()}</td><td>TLS, no SASL</td><td>9094 / 9194</td></tr>
 *   <tr><td>{@link #scram(String, String)}</td><td>SASL_SSL, SCRAM-SHA-512</td><td>9096 /
 *       9196</td></tr>
 *   <tr><td>{@link #plaintext()}</td><td>no encryption, no authentication: local development
 *       only</td><td>9092</td></tr>
 * </table>
 *
 * <p>A little over 500 lines because it holds, as nested classes, the IAM credential sources
 * ({@link IamCredentials}) and their builder, which choose exactly one source and name both
 * when a second is chosen; each factory and choice is documented. Making the providers lives
 * in {@code internal.auth}.
 */
public final class MskAuth {
  /** The authentication mechanisms. */
  public enum Mechanism {
    /** IAM with OAUTHBEARER tokens signed by this SDK. */
    IAM,
    /** IAM with aws-msk-iam-auth's legacy {@code AWS_MSK_IAM} mechanism. */
    IAM_LEGACY,
    /** TLS only. */
    TLS,
    /** SCRAM-SHA-512 over TLS. */
    SCRAM_SHA_512,
    /** Plaintext, unauthenticated. */
    PLAINTEXT
  }

  private static final MskAuth DEFAULT_IAM = new MskAuth(Mechanism.IAM, IamCredentials.DEFAULT);

  private final Mechanism mechanism;
  private final IamCredentials credentials;
  private final String scramUsername;
  private final String scramPassword;

  private MskAuth(Mechanism mechanism, IamCredentials credentials) {
    this(mechanism, credentials, null, null);
  }

  private MskAuth(
      Mechanism mechanism, IamCredentials credentials, String scramUsername, String scramPassword) {
    this.mechanism = mechanism;
    this.credentials = credentials;
    this.scramUsername = scramUsername;
    this.scramPassword = scramPassword;
  }

  /**
   * IAM with the AWS SDK's default credentials chain (environment, system properties, profile,
   * container, instance): the default.
   *
   * @return IAM authentication
   */
  public static MskAuth iam() {
    return DEFAULT_IAM;
  }

  /**
   * IAM with credentials chosen by {@code credentials}, e.g. {@code iam(c ->
   * c.credentialsProvider(myProvider))}, {@code iam(c -> c.profile("dev"))} or {@code iam(c ->
   * c.assumeRole(roleArn, "orders-service"))}.
   *
   * @param credentials chooses the credentials
   * @return IAM authentication
   */
  public static MskAuth iam(Consumer<IamCredentials.Builder> credentials) {
    return new MskAuth(Mechanism.IAM, IamCredentials.of(credentials));
  }

  /**
   * IAM with aws-msk-iam-auth's legacy {@code AWS_MSK_IAM} mechanism (its {@code
   * IAMLoginModule}); needs {@code software.amazon.msk:aws-msk-iam-auth} on the classpath. It
   * supports the default chain, a profile and assume-role, not a provider instance or static
   * keys.
   *
   * @param credentials chooses the credentials
   * @return legacy IAM authentication
   */
  public static MskAuth iamLegacy(Consumer<IamCredentials.Builder> credentials) {
    return new MskAuth(Mechanism.IAM_LEGACY, IamCredentials.of(credentials));
  }

  /**
   * TLS without SASL (MSK port 9094), e.g. for unauthenticated or mutual-TLS clusters.
   *
   * @return TLS
   */
  public static MskAuth tls() {
    return new MskAuth(Mechanism.TLS, null);
  }

  /**
   * Plaintext without authentication (MSK port 9092). For local development only: the
   * producer logs a warning.
   *
   * @return plaintext
   */
  public static MskAuth plaintext() {
    return new MskAuth(Mechanism.PLAINTEXT, null);
  }

  /**
   * SCRAM-SHA-512 over TLS (MSK port 9096), with a user from AWS Secrets Manager.
   *
   * @param username the SCRAM user
   * @param password the SCRAM password; never logged
   * @return SCRAM authentication
   */
  public static MskAuth scram(String username, String password) {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    if (username.isEmpty() || password.isEmpty()) {
      throw new MskConfigurationException(
          "auth.scram", "auth.scram needs a non-empty username and password");
    }
    return new MskAuth(Mechanism.SCRAM_SHA_512, null, username, password);
  }

  /**
   * The mechanism.
   *
   * @return the mechanism
   */
  public Mechanism mechanism() {
    return mechanism;
  }

  /**
   * The IAM credentials, for the IAM mechanisms.
   *
   * @return the credentials choice, or empty for other mechanisms
   */
  public Optional<IamCredentials> iamCredentials() {
    return Optional.ofNullable(credentials);
  }

  /**
   * The SCRAM user, for SCRAM.
   *
   * @return the user, or empty
   */
  public Optional<String> scramUsername() {
    return Optional.ofNullable(scramUsername);
  }

  /**
   * The SCRAM password, for SCRAM. Never log it.
   *
   * @return the password, or empty
   */
  public Optional<String> scramPassword() {
    return Optional.ofNullable(scramPassword);
  }

  /**
   * Whether this is one of the IAM mechanisms.
   *
   * @return true for {@link Mechanism#IAM} and {@link Mechanism#IAM_LEGACY}
   */
  public boolean isIam() {
    return mechanism == Mechanism.IAM || mechanism == Mechanism.IAM_LEGACY;
  }

  /** Equal when mechanism, credentials and SCRAM user and password are; a provider by identity. */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof MskAuth)) {
      return false;
    }
    MskAuth a = (MskAuth) o;
    return mechanism == a.mechanism
        && Objects.equals(credentials, a.credentials)
        && Objects.equals(scramUsername, a.scramUsername)
        && Objects.equals(scramPassword, a.scramPassword);
  }

  @Override
  public int hashCode() {
    return Objects.hash(mechanism, credentials, scramUsername);
  }

  /** The mechanism and credential source; never a secret. */
  @Override
  public String toString() {
    switch (mechanism) {
      case IAM:
      case IAM_LEGACY:
        return mechanism + "(" + credentials + ")";
      case SCRAM_SHA_512:
        return "SCRAM_SHA_512(user=" + scramUsername + ")";
      default:
        return mechanism.toString();
    }
  }

  /**
   * Where IAM credentials come from: exactly one of the default chain (the default), a named
   * profile, static keys, assume-role, or a provider instance. Immutable.
   */
  public static final class IamCredentials {
    static final IamCredentials DEFAULT = new IamCredentials(new Builder());

    /** The kinds of credential source. */
    public enum Source {
      /** The AWS SDK's default credentials chain. */
      DEFAULT_CHAIN,
      /** A named profile of the shared config and credentials files. */
      PROFILE,
      /** Static keys. */
      STATIC,
      /** An STS assume-role session with a fixed session name. */
      ASSUME_ROLE,
      /** A provider instance the caller passed in (and keeps: it is never closed for them). */
      PROVIDER
    }

    private final Source source;
    private final AwsCredentialsProvider provider;
    private final String profile;
    private final String accessKeyId;
    private final String secretAccessKey;
    private final String sessionToken;
    private final String roleArn;
    private final String roleSessionName;

    private IamCredentials(Builder b) {
      this.source = b.source == null ? Source.DEFAULT_CHAIN : b.source;
      this.provider = b.provider;
      this.profile = b.profile;
      this.accessKeyId = b.accessKeyId;
      this.secretAccessKey = b.secretAccessKey;
      this.sessionToken = b.sessionToken;
      this.roleArn = b.roleArn;
      this.roleSessionName = b.roleSessionName;
    }

    static IamCredentials of(Consumer<Builder> config) {
      Objects.requireNonNull(config, "credentials");
      Builder b = new Builder();
      config.accept(b);
      return new IamCredentials(b);
    }

    /**
     * The kind of source.
     *
     * @return the source
     */
    public Source source() {
      return source;
    }

    /**
     * The caller's provider, for {@link Source#PROVIDER}.
     *
     * @return the provider, or empty
     */
    public Optional<AwsCredentialsProvider> provider() {
      return Optional.ofNullable(provider);
    }

    /**
     * The profile name, for {@link Source#PROFILE}.
     *
     * @return the profile, or empty
     */
    public Optional<String> profile() {
      return Optional.ofNullable(profile);
    }

    /**
     * The access key id, for {@link Source#STATIC}.
     *
     * @return the access key id, or empty
     */
    public Optional<String> accessKeyId() {
      return Optional.ofNullable(accessKeyId);
    }

    /**
     * The secret access key, for {@link Source#STATIC}. Never log it.
     *
     * @return the secret, or empty
     */
    public Optional<String> secretAccessKey() {
      return Optional.ofNullable(secretAccessKey);
    }

    /**
     * The session token, for {@link Source#STATIC} temporary keys. Never log it.
     *
     * @return the session token, or empty
     */
    public Optional<String> sessionToken() {
      return Optional.ofNullable(sessionToken);
    }

    /**
     * The role to assume, for {@link Source#ASSUME_ROLE}.
     *
     * @return the role ARN, or empty
     */
    public Optional<String> roleArn() {
      return Optional.ofNullable(roleArn);
    }

    /**
     * The fixed role session name, for {@link Source#ASSUME_ROLE}.
     *
     * @return the session name, or empty
     */
    public Optional<String> roleSessionName() {
      return Optional.ofNullable(roleSessionName);
    }

    /** Equal when source and values are; a credentials provider by identity. */
    @Override
    public boolean equals(Object o) {
      if (!(o instanceof IamCredentials)) {
        return false;
      }
      IamCredentials c = (IamCredentials) o;
      return source == c.source
          && provider == c.provider
          && Objects.equals(profile, c.profile)
          && Objects.equals(accessKeyId, c.accessKeyId)
          && Objects.equals(secretAccessKey, c.secretAccessKey)
          && Objects.equals(sessionToken, c.sessionToken)
          && Objects.equals(roleArn, c.roleArn)
          && Objects.equals(roleSessionName, c.roleSessionName);
    }

    @Override
    public int hashCode() {
      return Objects.hash(
          source, System.identityHashCode(provider), profile, accessKeyId, roleArn, roleSessionName);
    }

    /** The source and its non-secret parameters. */
    @Override
    public String toString() {
      switch (source) {
        case PROFILE:
          return "profile " + profile;
        case STATIC:
          return "static keys "
              + AccessKeys.shown(accessKeyId)
              + (sessionToken == null ? "" : " with session token");
        case ASSUME_ROLE:
          return "role " + roleArn + " as session " + roleSessionName;
        case PROVIDER:
          String name = provider.getClass().getName();
          return name.contains("$$Lambda")
              ? "credentials provider you gave"
              : "credentials provider " + provider.getClass().getSimpleName();
        default:
          return "default credentials chain";
      }
    }

    /** Chooses one credential source; choosing a second one fails, naming both. */
    public static final class Builder {
      private Source source;
      private AwsCredentialsProvider provider;
      private String profile;
      private String accessKeyId;
      private String secretAccessKey;
      private String sessionToken;
      private String roleArn;
      private String roleSessionName;

      private Builder() {}

      private void choose(Source chosen) {
        if (source != null) {
          throw new MskConfigurationException(
              "auth.credentials",
              "IAM credentials were set twice, as "
                  + source
                  + " and as "
                  + chosen
                  + ": choose one source");
        }
        source = chosen;
      }

      /**
       * The AWS SDK's default credentials chain. The default.
       *
       * @return this builder
       */
      public Builder defaultChain() {
        choose(Source.DEFAULT_CHAIN);
        return this;
      }

      /**
       * Any credentials provider, instead of the default chain. The producer asks it for
       * credentials at every authentication, and never closes it: it is yours.
       *
       * @param provider the provider
       * @return this builder
       */
      public Builder credentialsProvider(AwsCredentialsProvider provider) {
        Objects.requireNonNull(provider, "credentialsProvider");
        choose(Source.PROVIDER);
        this.provider = provider;
        return this;
      }

      /**
       * A named profile of {@code ~/.aws/config} and {@code ~/.aws/credentials}, instead of
       * the default chain.
       *
       * @param profile the profile name
       * @return this builder
       */
      public Builder profile(String profile) {
        Objects.requireNonNull(profile, "profile");
        if (profile.isBlank()) {
          throw new MskConfigurationException("auth.profile", "auth.profile must not be blank");
        }
        choose(Source.PROFILE);
        this.profile = profile;
        return this;
      }

      /**
       * Static long-term keys, instead of the default chain (prefer a role or a profile).
       *
       * @param accessKeyId the access key id
       * @param secretAccessKey the secret access key
       * @return this builder
       */
      public Builder staticCredentials(String accessKeyId, String secretAccessKey) {
        return staticCredentials(accessKeyId, secretAccessKey, null);
      }

      /**
       * Static keys, temporary if a session token is given, instead of the default chain.
       *
       * @param accessKeyId the access key id
       * @param secretAccessKey the secret access key
       * @param sessionToken the session token, or null
       * @return this builder
       */
      public Builder staticCredentials(
          String accessKeyId, String secretAccessKey, String sessionToken) {
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        if (accessKeyId.isBlank() || secretAccessKey.isEmpty()) {
          throw new MskConfigurationException(
              "auth.staticCredentials",
              "auth.staticCredentials needs a non-empty access key id and secret");
        }
        choose(Source.STATIC);
        this.accessKeyId = accessKeyId;
        this.secretAccessKey = secretAccessKey;
        this.sessionToken = sessionToken;
        return this;
      }

      /**
       * Assume an IAM role with STS (needs {@code software.amazon.awssdk:sts}), with the
       * default chain's credentials, and a fixed session name: MSK refuses a re-authentication
       * whose principal changed, and the session name is part of the principal.
       *
       * @param roleArn the role, {@code arn:aws:iam::<account>:role/<name>}
       * @param sessionName the session name, 2 to 64 of {@code \w+=,.@-}
       * @return this builder
       */
      public Builder assumeRole(String roleArn, String sessionName) {
        Objects.requireNonNull(roleArn, "roleArn");
        Objects.requireNonNull(sessionName, "sessionName");
        if (!roleArn.matches("arn:aws[a-z-]*:iam::[0-9]{12}:role/.+")) {
          throw new MskConfigurationException(
              "auth.assumeRole",
              "auth.assumeRole role ARN '"
                  + roleArn
                  + "' is not arn:aws:iam::<12-digit account>:role/<name>");
        }
        if (!sessionName.matches("[\\w+=,.@-]{2,64}")) {
          throw new MskConfigurationException(
              "auth.assumeRole",
              "auth.assumeRole session name '"
                  + sessionName
                  + "' must be 2 to 64 of letters, digits and _+=,.@-");
        }
        choose(Source.ASSUME_ROLE);
        this.roleArn = roleArn;
        this.roleSessionName = sessionName;
        return this;
      }
    }
  }
}
