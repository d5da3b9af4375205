package io.github.mskproducer.core.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mskproducer.core.MskAuth;
import io.github.mskproducer.core.MskConfigurationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class MskHostsTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      nullValues = "none",
      value = {
        "b-1.demo.abc123.c2.kafka.us-east-1.amazonaws.com, us-east-1",
        "b-2.orders.x1y2z3.c11.kafka.eu-west-1.amazonaws.com, eu-west-1",
        // a region inside the cluster name must not win over the DNS suffix
        "b-1.demo-us-west-1-app.abc123.c2.kafka.us-west-2.amazonaws.com, us-west-2",
        "b-1.us-east-1.abc.c1.kafka.ap-southeast-2.amazonaws.com, ap-southeast-2",
        "boot-abc12345.c1.kafka-serverless.us-east-2.amazonaws.com, us-east-2",
        "b-1-public.demo.abc123.c2.kafka.ca-central-1.amazonaws.com, ca-central-1",
        "b-1.demo.abc123.c2.kafka.cn-north-1.amazonaws.com.cn, cn-north-1",
        "b-1.demo.abc123.c2.kafka.us-gov-west-1.amazonaws.com, us-gov-west-1",
        "B-1.DEMO.ABC123.C2.KAFKA.US-EAST-1.AMAZONAWS.COM, us-east-1",
        "b-1.demo.abc123.c2.kafka.us-east-1.amazonaws.com., us-east-1",
        "vpce-0abc-123.kafka.us-east-1.vpce.amazonaws.com, none",
        "localhost, none",
        "127.0.0.1, none",
        "kafka.internal.example.com, none",
        "my-us-east-1-broker.example.com, none",
        "kafka.us-east-1.amazonaws.com.evil.example, none",
      })
  void regionOf_readsTheRegionAnchoredOnTheMskSuffix(String host, String region) {
    assertThat(MskHosts.regionOf(host).orElse(null)).isEqualTo(region);
  }

  @Test
  void parse_acceptsHostPortListsWithSpacesAndIpv6() {
    assertThat(MskHosts.parse(" a.example:9098 , [::1]:9092,b:1").toString())
        .isEqualTo("[a.example:9098, [::1]:9092, b:1]");
  }

  @Test
  void parse_rejectsBadEntries_namingBootstrapServers() {
    for (String bad : new String[] {"", "  ", "host", "host:", ":9098", "host:99999", "host:abc", "a:1:2", "a:1,,b:2", "a:1,", ",a:1"}) {
      assertThatThrownBy(() -> MskHosts.parse(bad))
          .isInstanceOf(MskConfigurationException.class)
          .hasMessageContaining("bootstrapServers")
          .extracting(e -> ((MskConfigurationException) e).option())
          .isEqualTo("bootstrapServers");
    }
  }

  @Test
  void commonRegion_rejectsBrokersInTwoRegions() {
    assertThatThrownBy(
            () ->
                MskHosts.commonRegion(
                    MskHosts.parse(
                        "b-1.a.b.c1.kafka.us-east-1.amazonaws.com:9098,"
                            + "b-2.a.b.c1.kafka.eu-west-1.amazonaws.com:9098")))
        .isInstanceOf(MskConfigurationException.class)
        .hasMessageContaining("[eu-west-1, us-east-1]");
  }

  @Test
  void checkPorts_iamAimedAtAnotherSchemesPort_saysIamUses9098Or9198() {
    for (int port : new int[] {9092, 9094, 9096}) {
      assertThatThrownBy(
              () ->
                  MskHosts.checkPorts(
                      MskHosts.parse("b-1.demo.abc.c2.kafka.us-east-1.amazonaws.com:" + port),
                      MskAuth.Mechanism.IAM))
          .isInstanceOf(MskConfigurationException.class)
          .hasMessageContaining("9098 (inside the VPC) or 9198 (public access)");
    }
  }

  @Test
  void checkPorts_acceptsRightPorts_unknownPorts_andNonMskHosts() {
    MskHosts.checkPorts(
        MskHosts.parse("b-1.demo.abc.c2.kafka.us-east-1.amazonaws.com:9098"), MskAuth.Mechanism.IAM);
    MskHosts.checkPorts(
        MskHosts.parse("b-1.demo.abc.c2.kafka.us-east-1.amazonaws.com:9198"), MskAuth.Mechanism.IAM);
    MskHosts.checkPorts(
        MskHosts.parse("b-1.demo.abc.c2.kafka.us-east-1.amazonaws.com:14001"), MskAuth.Mechanism.IAM);
    MskHosts.checkPorts(MskHosts.parse("localhost:9092"), MskAuth.Mechanism.IAM);
    MskHosts.checkPorts(
        MskHosts.parse("b-1.demo.abc.c2.kafka.us-east-1.amazonaws.com:9094"), MskAuth.Mechanism.TLS);
    assertThatThrownBy(
            () ->
                MskHosts.checkPorts(
                    MskHosts.parse("b-1.demo.abc.c2.kafka.us-east-1.amazonaws.com:9098"),
                    MskAuth.Mechanism.TLS))
        .hasMessageContaining("9094");
  }
}
