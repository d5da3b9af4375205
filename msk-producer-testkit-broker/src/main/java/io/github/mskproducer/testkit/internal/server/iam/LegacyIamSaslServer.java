package io.github.mskproducer.testkit.internal.server.iam;

import java.nio.charset.StandardCharsets;
import java.security.Provider;
import java.security.Security;
import java.util.Map;
import java.util.UUID;
import javax.security.auth.callback.CallbackHandler;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;
import javax.security.sasl.SaslServerFactory;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.security.authenticator.SaslInternalConfigs;

/**
 * The broker side of aws-msk-iam-auth's legacy {@code AWS_MSK_IAM} mechanism: one client
 * message (a JSON object of the presigned request, signed for the broker's own host name), one
 * server reply ({@code {"version":"2020_10_22","request-id":"..."}}).
 */
public final class LegacyIamSaslServer implements SaslServer {
  public static final String MECHANISM = "AWS_MSK_IAM";

  private final MskIamServerCallbackHandler handler;
  private boolean complete;
  private String authorizationId;
  private long credentialLifetimeMs;

  LegacyIamSaslServer(MskIamServerCallbackHandler handler) {
    this.handler = handler;
  }

  /** Makes {@code Sasl.createSaslServer("AWS_MSK_IAM", ...)} find this server. Idempotent. */
  public static synchronized void register() {
    if (Security.getProvider(ServerProvider.NAME) == null) {
      Security.addProvider(new ServerProvider());
    }
  }

  @Override
  public String getMechanismName() {
    return MECHANISM;
  }

  @Override
  public byte[] evaluateResponse(byte[] response) throws SaslException {
    if (complete) {
      throw new IllegalStateException("AWS_MSK_IAM authentication is already complete");
    }
    MskIamTokenValidator.Verdict verdict = handler.validateLegacy(response);
    if (!verdict.accepted()) {
      throw new SaslAuthenticationException("Access denied");
    }
    authorizationId = verdict.identity().name();
    credentialLifetimeMs = verdict.expiresAt().toEpochMilli();
    complete = true;
    return ("{\"version\":\""
            + MskIamTokenValidator.LEGACY_VERSION
            + "\",\"request-id\":\""
            + UUID.randomUUID()
            + "\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public boolean isComplete() {
    return complete;
  }

  @Override
  public String getAuthorizationID() {
    if (!complete) {
      throw new IllegalStateException("AWS_MSK_IAM authentication is not complete");
    }
    return authorizationId;
  }

  @Override
  public byte[] unwrap(byte[] incoming, int offset, int len) {
    throw new IllegalStateException("AWS_MSK_IAM has no security layer");
  }

  @Override
  public byte[] wrap(byte[] outgoing, int offset, int len) {
    throw new IllegalStateException("AWS_MSK_IAM has no security layer");
  }

  @Override
  public Object getNegotiatedProperty(String propName) {
    if (!complete) {
      throw new IllegalStateException("AWS_MSK_IAM authentication is not complete");
    }
    if (SaslInternalConfigs.CREDENTIAL_LIFETIME_MS_SASL_NEGOTIATED_PROPERTY_KEY.equals(propName)) {
      return credentialLifetimeMs;
    }
    return null;
  }

  @Override
  public void dispose() {}

  /** Creates {@link LegacyIamSaslServer}s for Kafka's SASL server authenticator. */
  public static final class Factory implements SaslServerFactory {
    @Override
    public SaslServer createSaslServer(
        String mechanism, String protocol, String serverName, Map<String, ?> props, CallbackHandler cbh)
        throws SaslException {
      if (!MECHANISM.equals(mechanism)) {
        return null;
      }
      if (!(cbh instanceof MskIamServerCallbackHandler)) {
        throw new SaslException(
            "AWS_MSK_IAM needs listener.name.<listener>.aws_msk_iam.sasl.server.callback.handler.class="
                + MskIamServerCallbackHandler.class.getName());
      }
      return new LegacyIamSaslServer((MskIamServerCallbackHandler) cbh);
    }

    @Override
    public String[] getMechanismNames(Map<String, ?> props) {
      return new String[] {MECHANISM};
    }
  }

  private static final class ServerProvider extends Provider {
    private static final long serialVersionUID = 1L;
    static final String NAME = "msk-producer-testkit AWS_MSK_IAM server";

    ServerProvider() {
      super(NAME, "1.0", "SASL server for the legacy AWS_MSK_IAM mechanism (local broker)");
      putService(
          new Provider.Service(
              this, "SaslServerFactory", MECHANISM, Factory.class.getName(), null, null) {
            @Override
            public Object newInstance(Object constructorParameter) {
              return new Factory();
            }
          });
    }
  }
}
