package io.edgeray.doctor;

import io.edgeray.config.Cidr;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * On the origin host: ConfigServer Firewall (CSF) and its login failure daemon (lfd), which the
 * hosting guides name first on cPanel and DirectAdmin servers. Its permanent bans
 * ({@code /etc/csf/csf.deny}), temporary bans ({@code /var/lib/csf/csf.tempip}) and the blocks lfd
 * logged ({@code /var/log/lfd.log}) are matched against the edge's ranges: lfd bans an address
 * that makes many connections, and every visitor's request reaches the origin from the edge's few.
 */
final class CsfCheck {
  static final String ID = "csf";
  static final String TITLE = "CSF / lfd bans against the edge's addresses";
  static final String DENY = "etc/csf/csf.deny";
  static final String TEMP = "var/lib/csf/csf.tempip";
  static final String LFD_LOG = "var/log/lfd.log";
  private static final String ALLOW = "etc/csf/csf.allow";
  private static final long TAIL_BYTES = 512 * 1024;
  private static final Pattern LFD_BLOCK = Pattern.compile("(?i)blocked in csf|temporary block|perm(anent)? block|\\*blocked");

  /** @param edgeBlocked the lines that ban an edge address */
  record Result(List<String> edgeBlocked, CheckResult check) {}

  private CsfCheck() {}

  /** @param root the file system root ({@code /}); tests point it at a directory of sample files */
  static Result run(Path root, List<Cidr> edgeRanges) {
    Path deny = root.resolve(DENY);
    Path temp = root.resolve(TEMP);
    Path lfd = root.resolve(LFD_LOG);
    if (!Files.isDirectory(root.resolve("etc/csf")) && !Files.exists(temp) && !Files.exists(lfd)) {
      return new Result(List.of(), CheckResult.skipped(ID, TITLE, "CSF is not installed (no " + root.resolve("etc/csf") + ")"));
    }
    List<String> evidence = new ArrayList<>();
    List<String> blocked = new ArrayList<>();
    int read = 0;
    try {
      if (Files.isReadable(deny)) {
        read++;
        List<String> lines = entries(Files.readAllLines(deny));
        evidence.add("csf.deny: " + lines.size() + " entr" + (lines.size() == 1 ? "y" : "ies"));
        for (String l : lines) if (bansEdge(l.split("#", 2)[0], edgeRanges)) blocked.add("csf.deny: " + l);
      }
      if (Files.isReadable(temp)) {
        read++;
        List<String> lines = entries(Files.readAllLines(temp));
        evidence.add("csf.tempip: " + lines.size() + " temporary ban(s)");
        for (String l : lines) if (bansEdge(l, edgeRanges)) blocked.add("csf.tempip: " + l);
      }
      if (Files.isReadable(lfd)) {
        read++;
        List<String> lines = LogTail.lines(lfd, TAIL_BYTES).stream().filter(l -> LFD_BLOCK.matcher(l).find()).toList();
        evidence.add("lfd.log: " + lines.size() + " block(s) in the last " + TAIL_BYTES / 1024 + " KiB");
        for (String l : lines) if (bansEdge(l, edgeRanges)) blocked.add("lfd.log: " + l.strip());
      }
      Path allow = root.resolve(ALLOW);
      if (Files.isReadable(allow)) {
        for (String l : entries(Files.readAllLines(allow))) {
          if (bansEdge(l.split("#", 2)[0], edgeRanges)) evidence.add("csf.allow lists an edge address: " + l);
        }
      }
    } catch (IOException e) {
      evidence.add("could not read everything: " + e.getMessage());
    }
    if (read == 0) {
      return new Result(List.of(), new CheckResult(ID, TITLE, Outcome.SKIPPED, "CSF is installed but none of " + deny + ", "
          + temp + ", " + lfd + " can be read", evidence, 0));
    }
    blocked.forEach(b -> evidence.add("bans the edge: " + b));
    if (edgeRanges.isEmpty()) {
      return new Result(List.of(), new CheckResult(ID, TITLE, Outcome.INFO, "CSF lists read; no edge ranges known to match them against"
          + " (--edge-ranges or edge.egress in --config)", evidence, 0));
    }
    return new Result(blocked, new CheckResult(ID, TITLE, blocked.isEmpty() ? Outcome.PASSED : Outcome.PROBLEM,
        blocked.isEmpty() ? "no CSF or lfd ban for the edge's addresses" : blocked.size() + " CSF/lfd ban(s) of the edge's addresses",
        evidence, 0));
  }

  /** The lines of a CSF list that are entries: not blank, not a comment. */
  private static List<String> entries(List<String> lines) {
    return lines.stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
  }

  static boolean bansEdge(String text, List<Cidr> edgeRanges) {
    return FirewallRulesCheck.addresses(text).stream().anyMatch(a -> FirewallRulesCheck.matchesEdge(a, edgeRanges));
  }
}
