package io.github.mskproducer.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mskproducer.core.Finding.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiagnosticReportTest {
  private final DiagnosticReport report =
      new DiagnosticReport(
          List.of(
              new Finding("dns", "b-1:9098", Status.OK, "resolves to 10.0.0.1", null, null),
              new Finding("tcp", "b-1:9098", Status.FAIL, "no \"answer\"\nat all", "a security group", "allow 9098"),
              new Finding("topic", null, Status.SKIPPED, "not run", null, null)));

  @Test
  void passed_meansNoFailure() {
    assertThat(report.passed()).isFalse();
    assertThat(new DiagnosticReport(List.of(report.findings().get(0))).passed()).isTrue();
  }

  @Test
  void text_isAChecklist_withCauseAndFixUnderFailures() {
    assertThat(report.toText())
        .startsWith("msk-producer doctor: 3 checks, 1 failed, 0 warnings: FAILED\n")
        .contains("  [ OK ] dns               b-1:9098: resolves to 10.0.0.1\n")
        .contains("  [FAIL] tcp               b-1:9098: no \"answer\"")
        .contains("         cause: a security group\n         fix:   allow 9098\n")
        .contains("  [SKIP] topic             not run");
  }

  @Test
  void json_escapesQuotesAndNewlines_andWritesNulls() {
    assertThat(report.toJson())
        .isEqualTo(
            "{\"passed\":false,\"findings\":["
                + "{\"check\":\"dns\",\"target\":\"b-1:9098\",\"status\":\"OK\",\"observed\":\"resolves to 10.0.0.1\",\"cause\":null,\"fix\":null},"
                + "{\"check\":\"tcp\",\"target\":\"b-1:9098\",\"status\":\"FAIL\",\"observed\":\"no \\\"answer\\\"\\nat all\",\"cause\":\"a security group\",\"fix\":\"allow 9098\"},"
                + "{\"check\":\"topic\",\"target\":null,\"status\":\"SKIPPED\",\"observed\":\"not run\",\"cause\":null,\"fix\":null}]}");
  }
}
