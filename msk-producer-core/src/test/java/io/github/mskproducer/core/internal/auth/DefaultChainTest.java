package io.github.mskproducer.core.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/** Pure logic: which source the chain's first two links read, in the SDK's order. */
class DefaultChainTest {
  private final Map<String, String> props = new HashMap<>();
  private final Map<String, String> env = new HashMap<>();
  private final DefaultChain chain = new DefaultChain(props::get, env::get);

  @Test
  void systemPropertiesComeFirst_thenTheEnvironment_withoutTheSdkChain() {
    props.put("aws.accessKeyId", "AKIDPROPS");
    props.put("aws.secretAccessKey", "secret-props");
    env.put("AWS_ACCESS_KEY_ID", "AKIDENV");
    env.put("AWS_SECRET_ACCESS_KEY", "secret-env");

    assertThat(chain.resolveCredentials().accessKeyId()).isEqualTo("AKIDPROPS");
    props.clear();
    AwsCredentials fromEnv = chain.resolveCredentials();
    assertThat(fromEnv.accessKeyId()).isEqualTo("AKIDENV");
    assertThat(fromEnv.secretAccessKey()).isEqualTo("secret-env");
    assertThat(fromEnv).isNotInstanceOf(AwsSessionCredentials.class);
    assertThat(chain.usedSdkChain()).isFalse();
  }

  @Test
  void aSessionTokenMakesSessionCredentials_andHalfAPairIsSkippedAsTheSdkSkipsIt() {
    props.put("aws.accessKeyId", "AKIDHALF"); // no secret: the SDK's first link fails, the next one runs
    env.put("AWS_ACCESS_KEY_ID", "ASIAENV");
    env.put("AWS_SECRET_ACCESS_KEY", "secret-env");
    env.put("AWS_SESSION_TOKEN", "token-env");

    AwsCredentials c = chain.resolveCredentials();
    assertThat(c).isInstanceOf(AwsSessionCredentials.class);
    assertThat(c.accessKeyId()).isEqualTo("ASIAENV");
    assertThat(((AwsSessionCredentials) c).sessionToken()).isEqualTo("token-env");
    assertThat(chain.usedSdkChain()).isFalse();
    chain.close();
  }
}
