package io.github.mskproducer.testkit.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mskproducer.testkit.LocalMskException;
import io.github.mskproducer.testkit.internal.control.ControlFile;
import io.github.mskproducer.testkit.internal.control.Identity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IamControlTest {
  @TempDir Path dir;

  private static final Identity WRITER = new Identity("writer", "AKIAWRITER00000000001", "secret-1", null);
  private static final Identity READER = new Identity("reader", "AKIAREADER00000000001", "secret-2", null);

  @Test
  void aNewCluster_getsTheGivenIdentities_andTheKnobs_inItsControlFile() {
    Path file = dir.resolve("iam-control.properties");
    IamControl iam =
        IamControl.open(
            file, "eu-west-1", List.of(WRITER), () -> READER, s -> s.withClockOffset(Duration.ofMinutes(3)));
    assertThat(iam.names()).containsExactly("writer").as("the default is made only when none is given");
    assertThat(new ControlFile(file).read().clockOffset()).isEqualTo(Duration.ofMinutes(3));
    assertThat(iam.current().region()).isEqualTo("eu-west-1");
  }

  @Test
  void aReusedDataDirectory_keepsItsIdentities_andRefusesAnotherRegion_sayingHowToFixIt() {
    Path file = dir.resolve("iam-control.properties");
    IamControl.open(file, "us-east-1", List.of(WRITER), () -> READER, UnaryOperator.identity());

    IamControl again = IamControl.open(file, "us-east-1", List.of(), () -> READER, UnaryOperator.identity());
    assertThat(again.names()).containsExactly("writer");

    assertThatThrownBy(
            () -> IamControl.open(file, "eu-west-1", List.of(), () -> READER, UnaryOperator.identity()))
        .isInstanceOf(LocalMskException.class)
        .hasMessageContaining("holds a cluster in region us-east-1, not eu-west-1")
        .hasMessageContaining("region(\"us-east-1\") or another data directory");
  }

  @Test
  void aRemovedIdentity_isStillKnownToItsClient_withItsLastCredentials() {
    IamControl iam =
        IamControl.open(
            dir.resolve("c.properties"), "us-east-1", List.of(WRITER, READER), () -> WRITER, UnaryOperator.identity());
    iam.update(s -> s.withoutIdentity("reader"));
    assertThat(iam.names()).containsExactly("writer");
    assertThat(iam.lastKnown("reader")).map(Identity::accessKeyId).contains("AKIAREADER00000000001");
    assertThat(iam.lastKnown("nobody")).isEmpty();
  }
}
