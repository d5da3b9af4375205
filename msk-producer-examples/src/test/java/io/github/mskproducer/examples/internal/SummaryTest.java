package io.github.mskproducer.examples.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryTest {
  private static Summary summary(long sent, long acked, long failed, long pending, Long readBack) {
    return new Summary(sent, acked, failed, pending, readBack, 2.0, acked / 2.0, 0.5, 1.25, 3.5, 7.0, List.of());
  }

  @Test
  void passed_onlyWhenEverythingSentWasAcknowledged_andReadBackWhenRead() {
    assertThat(summary(10, 10, 0, 0, null).passed()).isTrue();
    assertThat(summary(10, 10, 0, 0, 10L).passed()).isTrue();
    assertThat(summary(10, 9, 1, 0, null).passed()).isFalse();
    assertThat(summary(10, 9, 0, 1, null).passed()).isFalse();
    assertThat(summary(10, 9, 0, 0, null).passed()).as("an outcome not counted").isFalse();
    assertThat(summary(10, 10, 0, 0, 9L).passed()).as("one not read back").isFalse();
  }

  @Test
  void json_isOneLine_withEveryField_andEscapedErrors() throws Exception {
    Summary s =
        new Summary(3, 2, 1, 0, null, 1.5, 1.333, 0.01, 4.0, 9.0, 12.5, List.of("1 x Boom: \"quoted\"\nnext\ttab\\"));
    String json = s.toJson();

    assertThat(json).doesNotContain("\n");
    JsonNode n = new ObjectMapper().readTree(json);
    assertThat(n.get("passed").asBoolean()).isFalse();
    assertThat(n.get("sent").asLong()).isEqualTo(3);
    assertThat(n.get("acknowledged").asLong()).isEqualTo(2);
    assertThat(n.get("failed").asLong()).isEqualTo(1);
    assertThat(n.get("readBack").isNull()).isTrue();
    assertThat(n.get("recordsPerSecond").asDouble()).isEqualTo(1.333);
    assertThat(n.get("p50Ms").asDouble()).isEqualTo(4.0);
    assertThat(n.get("p99Ms").asDouble()).isEqualTo(9.0);
    assertThat(n.get("errors").get(0).asText()).isEqualTo("1 x Boom: \"quoted\"\nnext\ttab\\");
  }

  @Test
  void text_listsTheCounts_andEndsWithTheVerdict() {
    String text = summary(10_000, 10_000, 0, 0, 10_000L).toText();

    assertThat(text)
        .contains("acknowledged  10,000")
        .contains("read back     10,000")
        .contains("p50 1.3 ms, p99 3.5 ms, max 7.0 ms")
        .endsWith("PASSED");
  }

  @Test
  void runStats_percentilesAndDistinctErrors() {
    RunStats stats = new RunStats();
    for (int i = 1; i <= 100; i++) {
      stats.acknowledged(i * 1_000_000L, 10); // 1..100 ms
    }
    for (int i = 0; i < 10; i++) {
      stats.failed(new IllegalStateException("error " + (i % 7)));
    }
    stats.stop();
    Summary s = stats.summary(110, 0, null);

    assertThat(s.acknowledged()).isEqualTo(100);
    assertThat(s.failed()).isEqualTo(10);
    assertThat(s.p50Ms()).isBetween(49.9, 50.1);
    assertThat(s.p99Ms()).isBetween(98.9, 99.1);
    assertThat(s.maxMs()).isBetween(99.9, 100.1);
    assertThat(s.errors()).hasSize(5).first().asString().startsWith("2 x IllegalStateException: error 0");
  }

  @Test
  void progressBar_notATerminal_printsAFewLines_andTheFinalState() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ProgressBar bar = new ProgressBar("acknowledged", 40, new PrintStream(bytes, true, StandardCharsets.UTF_8), true)) {
      for (int i = 0; i < 39; i++) {
        bar.step();
      }
      bar.fail();
    }
    String out = bytes.toString(StandardCharsets.UTF_8);

    assertThat(out).doesNotContain("\r");
    assertThat(out.lines().reduce((a, b) -> b).orElseThrow())
        .startsWith("[==============================] 100% 39/40 acknowledged")
        .endsWith(", 1 failed");
  }

  @Test
  void payloads_haveTheSize_andDiffer() {
    Payloads p = new Payloads(300);
    assertThat(p.value(0)).hasSize(300).isNotEqualTo(p.value(1));
    assertThat(new Payloads(1).value(123)).hasSize(1);
    assertThat(new Payloads(200_000).value(5)).hasSize(200_000);
  }
}
