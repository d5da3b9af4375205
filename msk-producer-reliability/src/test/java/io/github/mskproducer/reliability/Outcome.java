package io.github.mskproducer.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;

/**
 * A ledger held against what arrived.
 *
 * @param sent records handed to the producer
 * @param acknowledged acknowledged to the caller
 * @param failed reported failed to the caller
 * @param pending neither (after the scenario's final flush: must be 0)
 * @param lost acknowledged but not in the log
 * @param duplicated copies beyond the first of any id in the log
 * @param unknown ids in the log that were never sent (must be 0)
 * @param failedButArrived reported failed, yet in the log (possible after a timeout; counted)
 * @param secondOutcomes records whose outcome was reported twice (must be 0)
 */
record Outcome(
    long sent,
    long acknowledged,
    long failed,
    long pending,
    long lost,
    long duplicated,
    long unknown,
    long failedButArrived,
    long secondOutcomes) {

  /**
   * The promise kept in full: every record sent was acknowledged, none reported failed or left
   * pending, each is in the log exactly once, nothing else is, and no record had two outcomes.
   */
  void assertEveryRecordAcknowledgedOnce(Ledger ledger) {
    assertThat(failed).as("failures reported: %s", ledger.failed().values()).isZero();
    assertThat(pending).as("records with no outcome").isZero();
    assertThat(acknowledged).as("acknowledged").isEqualTo(sent);
    assertThat(lost).as("acknowledged but not in the log").isZero();
    assertThat(duplicated).as("duplicates in the log").isZero();
    assertThat(unknown).as("ids in the log never sent").isZero();
    assertThat(secondOutcomes).as("records told twice").isZero();
  }

  static Outcome of(Ledger ledger, Map<Long, Integer> arrived) {
    Set<Long> acked = ledger.acknowledged();
    Set<Long> failed = ledger.failed().keySet();
    long sent = ledger.sent();
    long lost = acked.stream().filter(id -> !arrived.containsKey(id)).count();
    long duplicated = arrived.values().stream().mapToLong(c -> c - 1).sum();
    long unknown = arrived.keySet().stream().filter(id -> id < 0 || id >= sent).count();
    long failedButArrived = failed.stream().filter(arrived::containsKey).count();
    return new Outcome(
        sent,
        acked.size(),
        failed.size(),
        sent - acked.size() - failed.size(),
        lost,
        duplicated,
        unknown,
        failedButArrived,
        ledger.secondOutcomes());
  }
}
