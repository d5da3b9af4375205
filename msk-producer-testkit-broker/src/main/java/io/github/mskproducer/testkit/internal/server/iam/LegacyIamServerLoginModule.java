package io.github.mskproducer.testkit.internal.server.iam;

import java.util.Map;
import javax.security.auth.Subject;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.spi.LoginModule;

/**
 * The JAAS login module of the legacy {@code AWS_MSK_IAM} mechanism on the broker. It logs in
 * nothing; loading it registers the SASL server.
 */
public final class LegacyIamServerLoginModule implements LoginModule {
  static {
    LegacyIamSaslServer.register();
  }

  @Override
  public void initialize(
      Subject subject,
      CallbackHandler callbackHandler,
      Map<String, ?> sharedState,
      Map<String, ?> options) {}

  @Override
  public boolean login() {
    return true;
  }

  @Override
  public boolean commit() {
    return true;
  }

  @Override
  public boolean abort() {
    return true;
  }

  @Override
  public boolean logout() {
    return true;
  }
}
