package io.edgeray.doctor;

import java.util.List;

/**
 * One check as the report shows it.
 *
 * @param id a stable key for tools reading the JSON ({@code records}, {@code direct}, ...)
 * @param summary one line: what the check found
 * @param evidence the observations behind the summary, one per line
 */
public record CheckResult(String id, String title, Outcome outcome, String summary, List<String> evidence, long millis) {
  public CheckResult {
    evidence = List.copyOf(evidence);
  }

  static CheckResult skipped(String id, String title, String why) {
    return new CheckResult(id, title, Outcome.SKIPPED, why, List.of(), 0);
  }

  CheckResult took(long ms) {
    return new CheckResult(id, title, outcome, summary, evidence, ms);
  }
}
