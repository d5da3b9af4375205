package io.github.mskproducer.core.internal.diagnostics;

import io.github.mskproducer.core.DiagnosticReport;
import io.github.mskproducer.core.Finding;
import io.github.mskproducer.core.internal.json.Json;

/** The report as a readable checklist, and as JSON. */
public final class ReportFormat {
  private ReportFormat() {}

  public static String text(DiagnosticReport report) {
    long failed = report.findings().stream().filter(f -> f.status() == Finding.Status.FAIL).count();
    long warned = report.findings().stream().filter(f -> f.status() == Finding.Status.WARN).count();
    StringBuilder sb =
        new StringBuilder("msk-producer doctor: ")
            .append(report.findings().size())
            .append(" checks, ")
            .append(failed)
            .append(" failed, ")
            .append(warned)
            .append(" warnings: ")
            .append(report.passed() ? "PASSED" : "FAILED")
            .append('\n');
    for (Finding f : report.findings()) {
      sb.append(mark(f.status()))
          .append(' ')
          .append(String.format("%-18s", f.check()))
          .append(f.target() == null ? "" : f.target() + ": ")
          .append(f.observed())
          .append('\n');
      if (f.cause() != null && f.status() != Finding.Status.OK) {
        sb.append("         cause: ").append(f.cause()).append('\n');
      }
      if (f.fix() != null && f.status() != Finding.Status.OK) {
        sb.append("         fix:   ").append(f.fix()).append('\n');
      }
    }
    return sb.toString();
  }

  public static String json(DiagnosticReport report) {
    Json.Arr findings = Json.array(java.util.List.of());
    for (Finding f : report.findings()) {
      findings.add(
          Json.object()
              .put("check", f.check())
              .put("target", f.target())
              .put("status", f.status().name())
              .put("observed", f.observed())
              .put("cause", f.cause())
              .put("fix", f.fix()));
    }
    return Json.object().put("passed", report.passed()).put("findings", findings).toString();
  }

  private static String mark(Finding.Status s) {
    switch (s) {
      case OK:
        return "  [ OK ]";
      case WARN:
        return "  [WARN]";
      case FAIL:
        return "  [FAIL]";
      default:
        return "  [SKIP]";
    }
  }
}
