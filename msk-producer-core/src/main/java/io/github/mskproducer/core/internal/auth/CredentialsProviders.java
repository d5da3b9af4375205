package io.github.mskproducer.core.internal.auth;

import io.github.mskproducer.core.MskAuth;
import io.github.mskproducer.core.MskConfigurationException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/** Makes the credentials provider an {@link MskAuth.IamCredentials} choice names. */
public final class CredentialsProviders {
  private CredentialsProviders() {}

  /** A provider, and whether the producer made it (and so must close it). */
  public static final class Made implements AutoCloseable {
    private final AwsCredentialsProvider provider;
    private final boolean owned;

    Made(AwsCredentialsProvider provider, boolean owned) {
      this.provider = provider;
      this.owned = owned;
    }

    public AwsCredentialsProvider provider() {
      return provider;
    }

    /** Closes the provider if the producer made it; never one the caller passed in. */
    @Override
    public void close() {
      if (owned && provider instanceof SdkAutoCloseable) {
        ((SdkAutoCloseable) provider).close();
      }
    }
  }

  public static Made create(MskAuth.IamCredentials c, String region) {
    switch (c.source()) {
      case PROVIDER:
        return new Made(c.provider().orElseThrow(), false);
      case PROFILE:
        return new Made(
            ProfileCredentialsProvider.builder().profileName(c.profile().orElseThrow()).build(), true);
      case STATIC:
        return new Made(
            StaticCredentialsProvider.create(
                c.sessionToken().isPresent()
                    ? AwsSessionCredentials.create(
                        c.accessKeyId().orElseThrow(),
                        c.secretAccessKey().orElseThrow(),
                        c.sessionToken().get())
                    : AwsBasicCredentials.create(
                        c.accessKeyId().orElseThrow(), c.secretAccessKey().orElseThrow())),
            true);
      case ASSUME_ROLE:
        requireSts();
        return new Made(
            StsRole.provider(c.roleArn().orElseThrow(), c.roleSessionName().orElseThrow(), region),
            true);
      default:
        return new Made(new DefaultChain(), true);
    }
  }

  public static void requireSts() {
    try {
      Class.forName(
          "software.amazon.awssdk.services.sts.StsClient", false, CredentialsProviders.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new MskConfigurationException(
          "auth.assumeRole",
          "auth.assumeRole needs the AWS SDK's STS module: add the dependency"
              + " software.amazon.awssdk:sts (the same version as your AWS SDK)",
          e);
    }
  }
}
