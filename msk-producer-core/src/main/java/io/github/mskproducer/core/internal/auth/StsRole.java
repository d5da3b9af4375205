package io.github.mskproducer.core.internal.auth;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * Assume-role credentials. In its own class so that the optional STS module is loaded only when
 * assume-role is used.
 */
final class StsRole {
  private StsRole() {}

  /** A refreshing provider with a fixed session name, on the regional STS endpoint. */
  static AwsCredentialsProvider provider(String roleArn, String sessionName, String region) {
    StsClient sts = StsClient.builder().region(Region.of(region)).build();
    return StsAssumeRoleCredentialsProvider.builder()
        .stsClient(sts)
        .refreshRequest(r -> r.roleArn(roleArn).roleSessionName(sessionName))
        .asyncCredentialUpdateEnabled(false)
        .build();
  }
}
