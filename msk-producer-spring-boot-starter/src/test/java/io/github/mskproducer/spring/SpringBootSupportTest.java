package io.github.mskproducer.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mskproducer.core.MskConfigurationException;
import io.github.mskproducer.spring.internal.SpringBootSupport;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Spring Boot 3 is refused at start with what to do, rather than started without health. */
class SpringBootSupportTest {
  @Test
  void springBoot3_isRefused_namingTheVersionAndTheWaysOut() {
    assertThatThrownBy(() -> SpringBootSupport.check("3.5.7"))
        .isInstanceOfSatisfying(
            MskConfigurationException.class,
            e -> {
              assertThat(e.option()).isEqualTo("spring-boot");
              assertThat(e.getMessage())
                  .contains("Spring Boot 3.5.7")
                  .contains("Spring Boot 4.0 or 4.1")
                  .contains("msk.producer.enabled=false");
              FailureAnalysis a = new MskProducerFailureAnalyzer().analyze(e);
              assertThat(a.getDescription()).contains("Spring Boot 3.5.7");
              assertThat(a.getAction()).contains("Upgrade to Spring Boot 4").doesNotContain("msk.producer.spring-boot");
            });
  }

  @Test
  void springBoot4_andVersionsThatCannotBeRead_pass() {
    for (String v : new String[] {"4.0.7", "4.1.2", "5.0.0-M1", null, "", "unknown"}) {
      assertThatCode(() -> SpringBootSupport.check(v)).as(String.valueOf(v)).doesNotThrowAnyException();
    }
    // the one this module is tested with
    assertThatCode(() -> SpringBootSupport.check(SpringBootVersion.getVersion())).doesNotThrowAnyException();
    assertThat(SpringBootVersion.getVersion()).startsWith("4.");
  }
}
