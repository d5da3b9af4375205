package io.github.mskproducer.core.internal.diagnostics;

import io.github.mskproducer.core.MskAuthenticationException;
import io.github.mskproducer.core.MskAuthorizationException;
import io.github.mskproducer.core.internal.config.Settings;
import io.github.mskproducer.core.internal.send.Errors;

/**
 * The likely causes and fixes that several checks share, so that the same failure reads the
 * same wherever a check meets it.
 */
final class Remedies {
  private Remedies() {}

  /** A likely cause and what to do about it. */
  record Remedy(String cause, String fix) {}

  /** MSK's port for each kind of authentication, private and public. */
  static final String PORTS =
      "use the port of your authentication: IAM 9098 (public 9198), TLS 9094 (9194), SCRAM 9096"
          + " (9196)";

  /** Where a client outside the VPC goes wrong. */
  static final String REACH_FROM_OUTSIDE =
      "use the brokers from 'aws kafka get-bootstrap-brokers'; from outside the VPC use public"
          + " access (port 9198) or a VPN/peering with DNS resolution";

  /** The cluster or a proxy advertises addresses this client cannot reach. */
  static final Remedy UNREACHABLE_ADVERTISED =
      new Remedy(
          "the bootstrap address worked, but the cluster tells clients to use addresses this"
              + " client cannot reach (VPC-private names from outside, a proxy or port-forward that"
              + " covers the bootstrap address only)",
          "reach the brokers' advertised names and ports (same VPC, peering with DNS, public access"
              + " on 9198), not a forwarded bootstrap port");

  /**
   * Why MSK refused an authentication, as far as the reason tells, and what to do.
   *
   * @param a the refusal, as the producer classifies it
   * @param s the configuration in use
   * @return the remedy
   */
  static Remedy forAuthentication(MskAuthenticationException a, Settings s) {
    switch (a.reason()) {
      case TOO_MANY_CONNECTS:
        return new Remedy(
            "MSK's limit on new IAM connections per broker per second was hit",
            "create producers once and share them; stagger start-ups; reconnect back-off >= 1 s");
      case PRINCIPAL_CHANGED:
        return new Remedy(
            "a re-authentication presented another principal", "use a fixed role session name");
      case NO_CREDENTIALS:
      case CREDENTIALS_EXPIRED:
        return new Remedy("no usable credentials", "see the credentials check");
      case MECHANISM_NOT_ENABLED:
        return new Remedy(
            "the port belongs to another kind of authentication than " + s.auth().mechanism(),
            "use the cluster's port for this authentication: "
                + Errors.portFor(s.auth().mechanism().name()));
      default:
        return new Remedy(
            "the token's signature, region or age is wrong: a secret that does not belong to the"
                + " key, an unknown or deleted key, a region that is not the cluster's ("
                + s.region()
                + " here), or a clock more than 5 minutes off; MSK does not say which",
            "check the credentials (aws sts get-caller-identity), the region, the clock (NTP),"
                + " and that the policy allows kafka-cluster:Connect");
    }
  }

  /**
   * What the identity's policy lacks for a refused write.
   *
   * @param a the refusal
   * @return the remedy
   */
  static Remedy forWrite(MskAuthorizationException a) {
    String action = a.missingAction().action();
    return new Remedy(
        "the identity's IAM policy lacks " + action,
        "allow "
            + action
            + (a.missingAction() == MskAuthorizationException.IamAction.WRITE_DATA_IDEMPOTENTLY
                ? " on the cluster (or turn idempotence off, losing its protection against"
                    + " duplicates)"
                : " on the topic"));
  }
}
