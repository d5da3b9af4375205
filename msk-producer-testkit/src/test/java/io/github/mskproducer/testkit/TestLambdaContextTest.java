package io.github.mskproducer.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TestLambdaContextTest {
  @Test
  void defaults_lookLikeLambdas() {
    TestLambdaContext c = TestLambdaContext.create();
    assertThat(c.getAwsRequestId()).matches("[0-9a-f-]{36}");
    assertThat(c.getFunctionName()).isEqualTo("test-function");
    assertThat(c.getFunctionVersion()).isEqualTo("$LATEST");
    assertThat(c.getInvokedFunctionArn())
        .isEqualTo("arn:aws:lambda:us-east-1:123456789012:function:test-function");
    assertThat(c.getLogGroupName()).isEqualTo("/aws/lambda/test-function");
    assertThat(c.getMemoryLimitInMB()).isEqualTo(512);
    assertThat(c.getRemainingTimeInMillis()).isBetween(1, 30_000);
  }

  @Test
  void theRemainingTime_countsDownFromTheTimeout_andNextStartsAgain() throws Exception {
    TestLambdaContext c = TestLambdaContext.builder().timeout(Duration.ofMillis(300)).build();
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> c.getRemainingTimeInMillis() == 0);
    TestLambdaContext next = c.next();
    assertThat(next.getRemainingTimeInMillis()).isPositive();
    assertThat(next.getAwsRequestId()).isNotEqualTo(c.getAwsRequestId());
  }

  @Test
  void settings_showInTheArn_andTheLogIsKept() {
    TestLambdaContext c =
        TestLambdaContext.builder()
            .requestId("req-1")
            .functionName("orders")
            .alias("live")
            .region("eu-west-1")
            .accountId("210987654321")
            .memoryLimitMb(1024)
            .echo(false)
            .build();
    c.getLogger().log("one");
    c.next().getLogger().log("two".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(c.getAwsRequestId()).isEqualTo("req-1");
    assertThat(c.getInvokedFunctionArn())
        .isEqualTo("arn:aws:lambda:eu-west-1:210987654321:function:orders:live");
    assertThat(c.getMemoryLimitInMB()).isEqualTo(1024);
    assertThat(c.logged()).containsExactly("one", "two");
    TestLambdaContext again = c.toBuilder().build();
    assertThat(again.getFunctionName()).isEqualTo("orders");
    assertThat(again.getAwsRequestId()).isNotEqualTo("req-1");
  }

  @Test
  void badSettings_nameTheOption() {
    assertThatThrownBy(() -> TestLambdaContext.builder().functionName("no spaces"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("functionName");
    assertThatThrownBy(() -> TestLambdaContext.builder().memoryLimitMb(64))
        .hasMessageContaining("memoryLimitMb");
    assertThatThrownBy(() -> TestLambdaContext.builder().timeout(Duration.ofMinutes(16)))
        .hasMessageContaining("timeout");
    assertThatThrownBy(() -> TestLambdaContext.builder().accountId("12"))
        .hasMessageContaining("accountId");
  }
}
