package io.github.mskproducer.core;

import io.github.mskproducer.core.internal.diagnostics.ReportFormat;
import java.util.List;

/** The findings of a {@link MskDiagnostics} run, in the order the checks ran. */
public final class DiagnosticReport {
  private final List<Finding> findings;

  /**
   * Creates a report.
   *
   * @param findings the findings
   */
  public DiagnosticReport(List<Finding> findings) {
    this.findings = List.copyOf(findings);
  }

  /**
   * Every finding.
   *
   * @return the findings
   */
  public List<Finding> findings() {
    return findings;
  }

  /**
   * Whether no check failed (warnings allowed).
   *
   * @return true if no finding is {@link Finding.Status#FAIL}
   */
  public boolean passed() {
    return findings.stream().noneMatch(f -> f.status() == Finding.Status.FAIL);
  }

  /**
   * A readable checklist, one line per finding, with cause and fix under each failure.
   *
   * @return the text
   */
  public String toText() {
    return ReportFormat.text(this);
  }

  /**
   * The report as JSON: {@code {"passed":..., "findings":[{"check":..., "status":...}, ...]}}.
   *
   * @return the JSON
   */
  public String toJson() {
    return ReportFormat.json(this);
  }

  @Override
  public String toString() {
    return toText();
  }
}
