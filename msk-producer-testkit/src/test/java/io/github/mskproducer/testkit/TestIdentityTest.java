package io.github.mskproducer.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

class TestIdentityTest {
  @Test
  void random_makesAwsShapedKeys() {
    TestIdentity longTerm = TestIdentity.random("writer");
    TestIdentity temporary = TestIdentity.randomWithSessionToken("reader");

    assertThat(longTerm.accessKeyId()).matches("AKIA[A-Z2-7]{16}");
    assertThat(longTerm.secretAccessKey()).hasSize(40);
    assertThat(longTerm.sessionToken()).isEmpty();
    assertThat(temporary.accessKeyId()).startsWith("ASIA");
    assertThat(temporary.sessionToken()).isPresent();
    assertThat(temporary.toAwsCredentials()).isInstanceOf(AwsSessionCredentials.class);
    assertThat(longTerm.principal()).isEqualTo("User:writer");
  }

  @Test
  void toString_neverShowsSecretOrSessionToken() {
    TestIdentity id = TestIdentity.randomWithSessionToken("writer");

    assertThat(id.toString())
        .contains("writer", id.accessKeyId())
        .doesNotContain(id.secretAccessKey())
        .doesNotContain(id.sessionToken().get());
  }

  @Test
  void rotated_keepsNameAndKind_withNewKeys() {
    TestIdentity id = TestIdentity.randomWithSessionToken("writer");
    TestIdentity rotated = id.rotated();

    assertThat(rotated.name()).isEqualTo("writer");
    assertThat(rotated.accessKeyId()).isNotEqualTo(id.accessKeyId());
    assertThat(rotated.sessionToken()).isPresent().isNotEqualTo(id.sessionToken());
  }

  @Test
  void of_withBadArguments_namesTheArgument() {
    assertThatThrownBy(() -> TestIdentity.of("has space", "AKIAIOSFODNN7EXAMPLE", "s"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("identity name 'has space'");
    assertThatThrownBy(() -> TestIdentity.of("ok", "AKIA/BAD", "s"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("accessKeyId 'AKIA/BAD'");
    assertThatThrownBy(() -> TestIdentity.of("ok", "AKIAIOSFODNN7EXAMPLE", ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("secretAccessKey");
    assertThatThrownBy(() -> TestIdentity.of(null, "AKIAIOSFODNN7EXAMPLE", "s"))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("name");
  }
}
