package io.edgeray.doctor;

/**
 * How one check ended. A check whose tool, file or counterpart is missing is SKIPPED, never
 * PASSED: the doctor does not claim what it did not see.
 */
public enum Outcome {
  PASSED, PROBLEM, WARNING, INFO, SKIPPED;

  public String word() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
