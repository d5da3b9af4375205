package io.github.mskproducer.testkit.internal.server.iam;

import io.github.mskproducer.testkit.internal.control.ControlFile;
import io.github.mskproducer.testkit.internal.control.IamSettings;
import io.github.mskproducer.testkit.internal.control.ServerClasses;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.security.auth.AuthenticateCallbackHandler;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerToken;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerValidatorCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker side of MSK IAM authentication on the local broker. Kafka instantiates it from
 * {@code listener.name.iam.<mechanism>.sasl.server.callback.handler.class}; the JAAS option
 * {@code controlFile} names the cluster's {@link ControlFile}.
 *
 * <p>For OAUTHBEARER it answers Kafka's {@link OAuthBearerValidatorCallback}; the legacy
 * {@code AWS_MSK_IAM} SASL server calls {@link #validateLegacy(byte[])}. A token that is not
 * valid fails authentication with the standard SASL error and the broker logs why at DEBUG
 * (never the token). Over the configured rate of new authentications per second, it fails with
 * {@code Too many connects}, as MSK does.
 */
public final class MskIamServerCallbackHandler implements AuthenticateCallbackHandler {
  public static final String CONTROL_FILE_OPTION = ServerClasses.CONTROL_FILE_OPTION;
  public static final String TOO_MANY_CONNECTS = "Too many connects";
  private static final Logger LOG = LoggerFactory.getLogger(MskIamServerCallbackHandler.class);
  private static final Set<String> MECHANISMS = Set.of("OAUTHBEARER", LegacyIamSaslServer.MECHANISM);

  private final Clock clock;
  private final MskIamTokenValidator validator;
  private ControlFile control;
  private String mechanism;
  private long windowStartMs;
  private int authenticationsInWindow;

  public MskIamServerCallbackHandler() {
    this(Clock.systemUTC());
  }

  MskIamServerCallbackHandler(Clock clock) {
    this.clock = clock;
    this.validator = new MskIamTokenValidator(clock);
  }

  @Override
  public void configure(
      Map<String, ?> configs, String saslMechanism, List<AppConfigurationEntry> jaasConfigEntries) {
    if (!MECHANISMS.contains(saslMechanism)) {
      throw new IllegalArgumentException(
          "MskIamServerCallbackHandler serves " + MECHANISMS + ", not " + saslMechanism);
    }
    String path = null;
    for (AppConfigurationEntry entry : jaasConfigEntries) {
      Object value = entry.getOptions().get(CONTROL_FILE_OPTION);
      if (value != null) {
        path = value.toString();
      }
    }
    if (path == null) {
      throw new IllegalArgumentException(
          "the JAAS config of the " + saslMechanism + " listener needs the option " + CONTROL_FILE_OPTION);
    }
    this.mechanism = saslMechanism;
    this.control = new ControlFile(Path.of(path));
  }

  @Override
  public void handle(Callback[] callbacks) throws UnsupportedCallbackException {
    for (Callback callback : callbacks) {
      if (callback instanceof OAuthBearerValidatorCallback) {
        OAuthBearerValidatorCallback v = (OAuthBearerValidatorCallback) callback;
        MskIamTokenValidator.Verdict verdict = validateOAuthBearer(v.tokenValue());
        if (verdict.accepted()) {
          v.token(new IamSessionToken(v.tokenValue(), verdict));
        } else {
          v.error("invalid_token", null, null);
        }
      } else {
        throw new UnsupportedCallbackException(callback);
      }
    }
  }

  MskIamTokenValidator.Verdict validateOAuthBearer(String token) {
    IamSettings settings = admit();
    return logged(validator.validateOAuthBearerToken(token, settings));
  }

  /** For the legacy mechanism; throws {@link SaslAuthenticationException} over the rate limit. */
  MskIamTokenValidator.Verdict validateLegacy(byte[] payload) {
    IamSettings settings = admit();
    return logged(validator.validateLegacyPayload(payload, settings));
  }

  private IamSettings admit() {
    IamSettings settings = control.read();
    int limit = settings.connectionRateLimit();
    if (limit > 0) {
      synchronized (this) {
        long now = clock.millis();
        if (now - windowStartMs >= 1000) {
          windowStartMs = now;
          authenticationsInWindow = 0;
        }
        if (++authenticationsInWindow > limit) {
          LOG.debug(
              "MSK IAM authentication ({}) refused: over {} new authentications per second",
              mechanism,
              limit);
          throw new SaslAuthenticationException(TOO_MANY_CONNECTS);
        }
      }
    }
    return settings;
  }

  private MskIamTokenValidator.Verdict logged(MskIamTokenValidator.Verdict verdict) {
    if (verdict.accepted()) {
      LOG.debug(
          "MSK IAM authentication ({}) accepted for {}, session ends at {}",
          mechanism,
          verdict.identity().principal(),
          verdict.expiresAt());
    } else {
      LOG.debug(
          "MSK IAM authentication ({}) rejected: {}: {}",
          mechanism,
          verdict.reason(),
          verdict.detail());
    }
    return verdict;
  }

  @Override
  public void close() {}

  /** What Kafka keeps of an accepted token: the principal and the session's end. */
  static final class IamSessionToken implements OAuthBearerToken {
    private final String value;
    private final String principal;
    private final long startMs;
    private final long lifetimeMs;

    IamSessionToken(String value, MskIamTokenValidator.Verdict verdict) {
      this.value = value;
      this.principal = verdict.identity().name();
      this.startMs = verdict.issuedAt().toEpochMilli();
      this.lifetimeMs = verdict.expiresAt().toEpochMilli();
    }

    @Override
    public String value() {
      return value;
    }

    @Override
    public Set<String> scope() {
      return Set.of();
    }

    @Override
    public long lifetimeMs() {
      return lifetimeMs;
    }

    @Override
    public String principalName() {
      return principal;
    }

    @Override
    public Long startTimeMs() {
      return startMs;
    }

    @Override
    public String toString() {
      return "IamSessionToken{principal=" + principal + ", lifetimeMs=" + lifetimeMs + "}";
    }
  }
}
