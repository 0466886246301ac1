package io.edgeray.doctor;

import java.time.temporal.ChronoUnit;

/**
 * The message the owner sends the hosting provider: what fails, since when (UTC), the ray ids that
 * let both sides find the same requests, and every check the doctor ran with its result.
 */
public final class SupportMessage {
  private SupportMessage() {}

  public static String render(Report r) {
    Finding v = r.verdict();
    StringBuilder b = new StringBuilder();
    b.append("Subject: ").append(r.healthy() ? "Origin check for " + r.host() + ": no fault found"
        : "Origin problem for " + r.host() + ": " + v.cause().verdict()).append("\n\n");
    b.append("Hello,\n\n");
    if (r.onOriginHost()) {
      b.append("We ran edgeray doctor --local on the origin host ").append(r.host()).append(" at ");
    } else {
      b.append("Our edge (edgeray node ").append(r.node()).append(") checked the origin of ").append(r.host()).append(" at ");
    }
    b.append(r.started().truncatedTo(ChronoUnit.SECONDS)).append(" UTC.\n");
    if (!r.healthy()) {
      b.append("Visitors get ").append(v.cause().symptom()).append(". The most likely cause: ").append(v.cause().verdict())
          .append(" (").append(v.confidence().word()).append(" confidence).\n");
      b.append("Evidence: ").append(v.evidence()).append(".\n");
      b.append("Where the fix belongs: ").append(v.cause().whereToFix()).append(".\n");
    }
    if (!r.rays().isEmpty()) b.append("Ray ids (they appear in our logs and in the request headers your server receives as Edge-Ray): ")
        .append(String.join(", ", r.rays())).append("\n");
    b.append("\nChecks run:\n");
    for (CheckResult c : r.checks()) {
      b.append("- ").append(c.title()).append(": ").append(c.outcome().word()).append(", ").append(c.summary()).append('\n');
    }
    b.append("\nCould you look at this on your side? Thank you.\n");
    return b.toString();
  }
}
