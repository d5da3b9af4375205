package io.github.mskproducer.benchmarks.internal.jmh;

import io.github.mskproducer.benchmarks.internal.Target;
import io.github.mskproducer.core.MskAuth;
import io.github.mskproducer.core.internal.Version;
import io.github.mskproducer.core.internal.auth.CredentialsProviders;
import io.github.mskproducer.core.internal.auth.IamTokenGenerator;
import io.github.mskproducer.core.internal.auth.MskIamCallbackHandler;
import io.github.mskproducer.core.internal.auth.TokenSource;
import io.github.mskproducer.core.internal.auth.TokenSources;
import java.time.Clock;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.security.auth.callback.Callback;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.common.security.auth.AuthenticateCallbackHandler;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerToken;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerTokenCallback;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import software.amazon.msk.auth.iam.IAMOAuthBearerLoginCallbackHandler;

/**
 * Benchmark 3, warm: one MSK IAM token through the callback handler Kafka's login and
 * re-authentication call, credentials from the default chain (system properties here).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TokenBench {
  /** Which handler. */
  @Param({"aws-msk-iam-auth", "msk-producer"})
  public String side;

  private AuthenticateCallbackHandler handler;

  /**
   * Configures the handler as Kafka would.
   *
   * @throws Exception if the target cannot be read
   */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    Target target = Target.fromFile();
    target.installSystemProperties();
    if (side.equals("msk-producer")) {
      CredentialsProviders.Made made =
          CredentialsProviders.create(MskAuth.iam().iamCredentials().orElseThrow(), target.region());
      String id =
          TokenSources.register(
              new TokenSource(made.provider(), "default chain", target.region(), new IamTokenGenerator(Clock.systemUTC(), Version.userAgent()), null));
      handler = new MskIamCallbackHandler();
      handler.configure(Map.of(), "OAUTHBEARER", List.of(entry(Map.of(MskIamCallbackHandler.PRODUCER_ID_OPTION, id))));
    } else {
      handler = new IAMOAuthBearerLoginCallbackHandler();
      handler.configure(Map.of(), "OAUTHBEARER", List.of(entry(Collections.emptyMap())));
    }
  }

  private static AppConfigurationEntry entry(Map<String, ?> options) {
    return new AppConfigurationEntry(
        OAuthBearerLoginModule.class.getName(), AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, options);
  }

  /**
   * Signs one token.
   *
   * @return the token
   * @throws Exception if the handler fails
   */
  @Benchmark
  public OAuthBearerToken token() throws Exception {
    OAuthBearerTokenCallback callback = new OAuthBearerTokenCallback();
    handler.handle(new Callback[] {callback});
    return callback.token();
  }
}
