package io.github.mskproducer.core;

import java.util.Objects;

/**
 * One result of {@link MskDiagnostics}: a check, what it looked at, its status, what was
 * observed and, when it did not pass, the likely cause and the fix. Never holds a secret.
 */
public final class Finding {
  /** How a check came out. */
  public enum Status {
    /** Passed. */
    OK,
    /** Passed, with something worth knowing. */
    WARN,
    /** Failed: see the cause and the fix. */
    FAIL,
    /** Not run, because an earlier check failed or it was not asked for. */
    SKIPPED
  }

  private final String check;
  private final String target;
  private final Status status;
  private final String observed;
  private final String cause;
  private final String fix;

  /**
   * Creates a finding.
   *
   * @param check the check's name, e.g. {@code tcp}
   * @param target what it looked at, e.g. {@code b-1...:9098}, or null
   * @param status the outcome
   * @param observed what was observed
   * @param cause the likely cause, or null when it passed
   * @param fix what to do, or null when it passed
   */
  public Finding(
      String check, String target, Status status, String observed, String cause, String fix) {
    this.check = Objects.requireNonNull(check, "check");
    this.target = target;
    this.status = Objects.requireNonNull(status, "status");
    this.observed = Objects.requireNonNull(observed, "observed");
    this.cause = cause;
    this.fix = fix;
  }

  /**
   * The check: {@code configuration}, {@code region}, {@code credentials}, {@code dns}, {@code
   * tcp}, {@code tls}, {@code token}, {@code clock}, {@code authentication}, {@code metadata},
   * {@code advertised-broker}, {@code topic}, {@code write}, {@code idempotent-write}.
   *
   * @return the check's name
   */
  public String check() {
    return check;
  }

  /**
   * What the check looked at (a broker, a topic), if anything in particular.
   *
   * @return the target, or null
   */
  public String target() {
    return target;
  }

  /**
   * The outcome.
   *
   * @return the status
   */
  public Status status() {
    return status;
  }

  /**
   * What was observed.
   *
   * @return the observation
   */
  public String observed() {
    return observed;
  }

  /**
   * The likely cause, for WARN and FAIL.
   *
   * @return the cause, or null
   */
  public String cause() {
    return cause;
  }

  /**
   * What to do, for WARN and FAIL.
   *
   * @return the fix, or null
   */
  public String fix() {
    return fix;
  }

  @Override
  public String toString() {
    return status + " " + check + (target == null ? "" : " " + target) + ": " + observed;
  }
}
