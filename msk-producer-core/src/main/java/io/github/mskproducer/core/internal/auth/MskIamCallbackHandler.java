package io.github.mskproducer.core.internal.auth;

import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.common.security.auth.AuthenticateCallbackHandler;
import org.apache.kafka.common.security.auth.SaslExtensionsCallback;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerToken;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerTokenCallback;

/**
 * Kafka's login and client callback handler for OAUTHBEARER with MSK IAM: every {@link
 * OAuthBearerTokenCallback} gets a freshly signed token, so each new connection and each
 * re-authentication presents a token made at that moment, not one cached at login.
 */
public final class MskIamCallbackHandler implements AuthenticateCallbackHandler {
  public static final String PRODUCER_ID_OPTION = "mskProducerId";

  private TokenSource source;

  @Override
  public void configure(
      Map<String, ?> configs, String saslMechanism, List<AppConfigurationEntry> jaasConfigEntries) {
    if (!"OAUTHBEARER".equals(saslMechanism)) {
      throw new IllegalArgumentException(
          "MskIamCallbackHandler serves OAUTHBEARER, not " + saslMechanism);
    }
    String id = null;
    for (AppConfigurationEntry e : jaasConfigEntries) {
      Object v = e.getOptions().get(PRODUCER_ID_OPTION);
      if (v != null) {
        id = v.toString();
      }
    }
    source = id == null ? null : TokenSources.get(id);
    if (source == null) {
      throw new IllegalStateException(
          "this Kafka client was configured for an msk-producer that is closed or unknown:"
              + " build clients with MskProducer.builder(), not by copying its properties");
    }
  }

  @Override
  public void handle(Callback[] callbacks) throws java.io.IOException, UnsupportedCallbackException {
    for (Callback callback : callbacks) {
      if (callback instanceof OAuthBearerTokenCallback) {
        OAuthBearerTokenCallback c = (OAuthBearerTokenCallback) callback;
        if (c.token() == null) {
          c.token(new KafkaToken(source.newToken()));
        }
      } else if (callback instanceof SaslExtensionsCallback) {
        // MSK IAM uses no SASL extensions: leave them empty.
      } else {
        throw new UnsupportedCallbackException(callback);
      }
    }
  }

  @Override
  public void close() {}

  /** The token as Kafka's client keeps it. */
  private static final class KafkaToken implements OAuthBearerToken {
    private final IamTokenGenerator.Token token;

    KafkaToken(IamTokenGenerator.Token token) {
      this.token = token;
    }

    @Override
    public String value() {
      return token.value();
    }

    @Override
    public Set<String> scope() {
      return Set.of();
    }

    @Override
    public long lifetimeMs() {
      return token.expiresAt().toEpochMilli();
    }

    @Override
    public String principalName() {
      return "kafka-cluster";
    }

    @Override
    public Long startTimeMs() {
      return token.issuedAt().toEpochMilli();
    }

    @Override
    public String toString() {
      return token.toString();
    }
  }
}
