package io.github.mskproducer.core.internal.diagnostics;

import io.github.mskproducer.core.Finding.Status;
import io.github.mskproducer.core.MskAuth;
import io.github.mskproducer.core.internal.Version;
import io.github.mskproducer.core.internal.auth.AccessKeys;
import io.github.mskproducer.core.internal.auth.CredentialsProviders;
import io.github.mskproducer.core.internal.auth.IamTokenGenerator;
import io.github.mskproducer.core.internal.auth.TokenSource;
import io.github.mskproducer.core.internal.config.Settings;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import software.amazon.awssdk.auth.credentials.AwsCredentials;

/**
 * The IAM checks before any broker is asked: credentials from the configured source ({@code
 * credentials}: present, not expired; only the access key's first characters are shown), a
 * token signed with them ({@code token}) and the clock it is signed with ({@code clock}).
 */
final class CredentialChecks {
  private final Probe probe;

  CredentialChecks(Probe probe) {
    this.probe = probe;
  }

  /**
   * @return the token source the cluster checks sign with, or null if a check failed
   */
  TokenSource run(Settings s, CredentialsProviders.Made made) {
    MskAuth.IamCredentials c = s.auth().iamCredentials().orElseThrow();
    AwsCredentials credentials;
    try {
      credentials = probe.within(() -> made.provider().resolveCredentials());
    } catch (Exception e) {
      probe.add(
          "credentials",
          c.toString(),
          Status.FAIL,
          "no credentials from the " + c + ": " + Probe.describe(e),
          "the credential source has nothing for this process (environment, profile, role)",
          "set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, use --profile or --role-arn, or run where a"
              + " role is attached");
      return null;
    }
    String key = credentials.accessKeyId();
    String shown = AccessKeys.shown(key);
    probe.showKey(shown);
    Instant now = Instant.now();
    if (credentials.expirationTime().isPresent() && !credentials.expirationTime().get().isAfter(now)) {
      probe.add(
          "credentials",
          c.toString(),
          Status.FAIL,
          "access key " + shown + " expired at " + credentials.expirationTime().get(),
          "the credentials expired",
          "refresh them (a refreshing provider such as the default chain or assume-role does)");
      return null;
    }
    probe.add(
        "credentials",
        c.toString(),
        Status.OK,
        "access key "
            + shown
            + (credentials.expirationTime().isPresent()
                ? ", expires " + credentials.expirationTime().get()
                : ", long-term (no expiry)"),
        null,
        null);
    TokenSource source =
        new TokenSource(
            made.provider(), c.toString(), s.region(), new IamTokenGenerator(Clock.systemUTC(), Version.userAgent()), null);
    try {
      IamTokenGenerator.Token token = source.newToken();
      probe.add(
          "token",
          null,
          Status.OK,
          "signed for region "
              + s.region()
              + " (host kafka."
              + s.region()
              + ".amazonaws.com), valid until "
              + token.expiresAt(),
          null,
          null);
    } catch (IOException e) {
      probe.add("token", null, Status.FAIL, Probe.describe(e), "the token could not be signed", "see the message");
      return null;
    }
    probe.add(
        "clock",
        null,
        Status.SKIPPED,
        "local clock " + Instant.now() + "; no trustworthy time source to compare it with here",
        null,
        "if authentication fails, check that NTP keeps this clock within 5 minutes of real time");
    return source;
  }
}
