package io.github.mskproducer.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mskproducer.core.MskConfigurationException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LambdaSettingsTest {
  @Test
  void unsetSettings_comeFromTheEnvironment_elseTheirDefaults_setOnesStay() {
    LambdaSettings code = LambdaSettings.builder().maxAge(Duration.ofMinutes(10)).build();
    LambdaSettings resolved =
        code.resolve(
            Map.of(
                "MSK_LAMBDA_THAW_THRESHOLD_MS", "30000",
                "MSK_LAMBDA_MAX_AGE_MS", "1000",
                "MSK_LAMBDA_PREWARM_TOPICS", "orders, audit",
                "MSK_LAMBDA_METRICS", "TRUE"));
    assertThat(resolved.thawThreshold()).contains(Duration.ofSeconds(30));
    assertThat(resolved.maxAge()).as("set in code").contains(Duration.ofMinutes(10));
    assertThat(resolved.flushMargin()).contains(LambdaSettings.DEFAULT_FLUSH_MARGIN);
    assertThat(resolved.prewarmTopics()).contains(List.of("orders", "audit"));
    assertThat(resolved.recordIdHeader()).contains(false);
    assertThat(resolved.emitMetrics()).contains(true);
    assertThat(code.thawThreshold()).as("the original is unchanged").isEmpty();
  }

  @Test
  void valueSemantics() {
    LambdaSettings a = LambdaSettings.builder().thawThreshold(Duration.ofSeconds(60)).prewarm("orders").build();
    assertThat(a.toBuilder().build()).isEqualTo(a).hasSameHashCodeAs(a);
    assertThat(a.toBuilder().prewarm("audit").build().prewarmTopics()).contains(List.of("orders", "audit"));
    assertThat(a.prewarmTopics()).contains(List.of("orders"));
    assertThat(LambdaSettings.builder().build()).isNotEqualTo(a);
    assertThat(a.toString()).contains("thawThreshold=PT1M", "orders");
  }

  @Test
  void badValues_nameTheSetting() {
    assertThatThrownBy(() -> LambdaSettings.builder().maxAge(Duration.ZERO))
        .isInstanceOfSatisfying(MskConfigurationException.class, e -> assertThat(e.option()).isEqualTo("maxAge"));
    assertThatThrownBy(() -> LambdaSettings.builder().build().resolve(Map.of("MSK_LAMBDA_FLUSH_MARGIN_MS", "x")))
        .isInstanceOfSatisfying(
            MskConfigurationException.class, e -> assertThat(e.option()).isEqualTo("MSK_LAMBDA_FLUSH_MARGIN_MS"));
  }

  @Test
  void aProducer_exposesTheSettingsItRunsWith() {
    try (LambdaProducer<String, String> producer =
        LambdaProducer.builder(String.class, String.class)
            .environment(Map.of("MSK_LAMBDA_RECORD_ID_HEADER", "true"))
            .settings(LambdaSettings.builder().flushMargin(Duration.ofMillis(200)).build())
            .snapStart(false)
            .shutdownHook(false)
            .producer(
                b ->
                    b.bootstrapServers("localhost:1")
                        .region("us-east-1")
                        .auth(io.github.mskproducer.core.MskAuth.iam(c -> c.staticCredentials("AKIAEXAMPLE", "secret")))
                        .timeouts(t -> t.maxBlock(Duration.ofMillis(300))))
            .build()) {
      assertThat(producer.settings().flushMargin()).contains(Duration.ofMillis(200));
      assertThat(producer.settings().recordIdHeader()).contains(true);
      assertThat(producer.settings().thawThreshold()).contains(LambdaSettings.DEFAULT_THAW_THRESHOLD);
    }
  }
}
