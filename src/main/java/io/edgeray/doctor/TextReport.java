package io.edgeray.doctor;

import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** The report for a terminal: verdict first, then the checks, the table, next steps and the support message. */
final class TextReport {
  private TextReport() {}

  static String render(Report r) {
    StringBuilder b = new StringBuilder();
    b.append("edgeray doctor ").append(r.host()).append("  (node ").append(r.node()).append(", ")
        .append(r.started().truncatedTo(ChronoUnit.SECONDS)).append(", ").append(r.millis()).append(" ms)\n\n");
    Finding v = r.verdict();
    b.append("VERDICT: ").append(v.cause().verdict()).append("  [").append(v.confidence().word()).append(" confidence]\n");
    b.append("  because ").append(v.evidence()).append('\n');
    for (Finding f : r.findings().subList(1, r.findings().size())) {
      b.append("  also possible: ").append(f.cause().verdict()).append(" [").append(f.confidence().word()).append("]: ")
          .append(f.evidence()).append('\n');
    }
    b.append("\nCHECKS\n");
    for (CheckResult c : r.checks()) {
      b.append(String.format(Locale.ROOT, "  %-9s %s (%d ms): %s%n", "[" + c.outcome().word() + "]", c.title(), c.millis(), c.summary()));
      for (String e : c.evidence()) b.append("              ").append(e).append('\n');
    }
    b.append("\nSYMPTOM -> CAUSE -> WHERE TO FIX\n");
    for (Finding f : r.findings()) {
      b.append("  ").append(f.cause().symptom()).append(" -> ").append(f.cause().verdict()).append(" -> ")
          .append(f.cause().whereToFix()).append('\n');
    }
    b.append("\nNEXT STEPS\n");
    int n = 1;
    for (String s : r.nextSteps()) b.append("  ").append(n++).append(". ").append(s).append('\n');
    if (!r.healthy()) {
      b.append("\nSUPPORT MESSAGE (ready to send to the hosting provider)\n");
      for (String line : SupportMessage.render(r).split("\n", -1)) b.append(line.isEmpty() ? "" : "  " + line).append('\n');
    }
    return b.toString();
  }
}
