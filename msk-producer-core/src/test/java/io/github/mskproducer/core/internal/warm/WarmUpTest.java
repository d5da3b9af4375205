package io.github.mskproducer.core.internal.warm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The warm-up's steps work on this JDK and Kafka version. The class list is Kafka-version
 * knowledge: when a Kafka upgrade renames what the start loads, this fails and says to
 * regenerate the list (scripts/ColdPathClasses.java), rather than the cold start silently
 * losing its head start.
 */
class WarmUpTest {
  @Test
  void theClassListStillNamesWhatThisKafkaLoads() throws Exception {
    java.util.List<String> lines;
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                WarmUp.class.getClassLoader().getResourceAsStream(WarmUp.CLASS_LIST), StandardCharsets.UTF_8))) {
      lines = r.lines().toList();
    }
    long listed = lines.stream().filter(l -> !l.isEmpty() && !l.startsWith("#")).count();
    String generatedWith =
        lines.stream().filter(l -> l.startsWith("# kafka-clients ")).findFirst().orElseThrow().substring(16).trim();
    int found = WarmUp.classes(WarmUp.class.getClassLoader());

    assertThat(listed).isGreaterThan(500);
    // With the Kafka it was generated with, nearly all of it; with the others of the supported
    // range (the 3.8 rerun of these tests), still most: only the head start for the rest is lost.
    boolean same = generatedWith.equals(io.github.mskproducer.core.internal.kafka.KafkaClientFacts.clientsVersion());
    assertThat((double) found / listed)
        .as("share of %s this Kafka (%s, list from %s) and JDK still have: regenerate it with scripts/ColdPathClasses.java",
            WarmUp.CLASS_LIST, io.github.mskproducer.core.internal.kafka.KafkaClientFacts.clientsVersion(), generatedWith)
        .isGreaterThan(same ? 0.95 : 0.80);
  }

  @Test
  void theTlsAndProtocolStepsRunWithoutANetwork() {
    assertThatCode(() -> WarmUp.tls("b-1.example.kafka.us-east-1.amazonaws.com", 9098)).doesNotThrowAnyException();
    assertThatCode(() -> WarmUp.protocol(WarmUp.class.getClassLoader())).doesNotThrowAnyException();
  }

  @Test
  void theMeasuringSwitchNamesSteps() {
    String before = System.getProperty(WarmUp.PROPERTY);
    try {
      System.setProperty(WarmUp.PROPERTY, "token, classes");
      assertThat(WarmUp.enabled("token")).isTrue();
      assertThat(WarmUp.enabled("classes")).isTrue();
      assertThat(WarmUp.enabled("tls")).isFalse();
      assertThat(WarmUp.order()).containsExactly("classes");
      System.setProperty(WarmUp.PROPERTY, "token,tls,protocol");
      assertThat(WarmUp.order()).as("in the order named").containsExactly("tls", "protocol");
      System.clearProperty(WarmUp.PROPERTY);
      assertThat(WarmUp.enabled("token")).isTrue();
      assertThat(WarmUp.enabled("dns")).isTrue();
      assertThat(WarmUp.enabled("tls")).as("off by default, as the order says").isFalse();
      assertThat(WarmUp.order()).isEqualTo(WarmUp.DEFAULT_ORDER).doesNotContain("tls");
    } finally {
      if (before != null) {
        System.setProperty(WarmUp.PROPERTY, before);
      }
    }
  }
}
