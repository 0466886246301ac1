package io.edgeray.doctor;

import java.time.temporal.ChronoUnit;

/** The report for a ticket or a chat: the same content as the text form, as Markdown tables. */
final class MarkdownReport {
  private MarkdownReport() {}

  static String render(Report r) {
    StringBuilder b = new StringBuilder();
    Finding v = r.verdict();
    b.append("## edgeray doctor: ").append(r.host()).append("\n\n");
    b.append("Node ").append(r.node()).append(", ").append(r.started().truncatedTo(ChronoUnit.SECONDS)).append(" UTC, ")
        .append(r.millis()).append(" ms.\n\n");
    b.append("**Verdict: ").append(v.cause().verdict()).append("** (").append(v.confidence().word()).append(" confidence)  \n");
    b.append("Because ").append(cell(v.evidence())).append("\n\n");
    b.append("| check | result | time | summary |\n|---|---|---|---|\n");
    for (CheckResult c : r.checks()) {
      b.append("| ").append(c.title()).append(" | ").append(c.outcome().word()).append(" | ").append(c.millis()).append(" ms | ")
          .append(cell(c.summary())).append(" |\n");
    }
    b.append("\n<details><summary>Evidence</summary>\n\n");
    for (CheckResult c : r.checks()) {
      if (c.evidence().isEmpty()) continue;
      b.append("**").append(c.title()).append("**\n\n");
      for (String e : c.evidence()) b.append("- `").append(e.replace("`", "'")).append("`\n");
      b.append('\n');
    }
    b.append("</details>\n\n");
    b.append("| symptom | cause | confidence | where to fix |\n|---|---|---|---|\n");
    for (Finding f : r.findings()) {
      b.append("| ").append(f.cause().symptom()).append(" | ").append(f.cause().verdict()).append(" | ")
          .append(f.confidence().word()).append(" | ").append(f.cause().whereToFix()).append(" |\n");
    }
    b.append("\n### Next steps\n\n");
    int n = 1;
    for (String s : r.nextSteps()) b.append(n++).append(". ").append(s).append('\n');
    if (!r.healthy()) {
      b.append("\n### Support message\n\n```\n").append(SupportMessage.render(r)).append("```\n");
    }
    return b.toString();
  }

  private static String cell(String s) {
    return s.replace("|", "\\|").replace("\n", " ");
  }
}
