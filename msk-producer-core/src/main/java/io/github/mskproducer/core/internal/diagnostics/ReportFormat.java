package io.github.mskproducer.core.internal.diagnostics;

import io.github.mskproducer.core.DiagnosticReport;
import io.github.mskproducer.core.Finding;

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
    StringBuilder sb = new StringBuilder("{\"passed\":").append(report.passed()).append(",\"findings\":[");
    boolean first = true;
    for (Finding f : report.findings()) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      sb.append('{');
      field(sb, "check", f.check()).append(',');
      field(sb, "target", f.target()).append(',');
      field(sb, "status", f.status().name()).append(',');
      field(sb, "observed", f.observed()).append(',');
      field(sb, "cause", f.cause()).append(',');
      field(sb, "fix", f.fix());
      sb.append('}');
    }
    return sb.append("]}").toString();
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

  private static StringBuilder field(StringBuilder sb, String name, String value) {
    quote(sb, name).append(':');
    return value == null ? sb.append("null") : quote(sb, value);
  }

  private static StringBuilder quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c == '\n') {
        sb.append("\\n");
      } else if (c < 0x20) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.append('"');
  }
}
