package io.edgeray.doctor;

import io.edgeray.config.Cidr;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * On the origin host: the firewall rules of every tool present (nft, iptables-save, ufw,
 * fail2ban), matched against the edge's published address ranges and the web ports. A drop or
 * reject rule naming an edge address is the classic cause of a 521 or 522 that only the edge sees.
 */
final class FirewallRulesCheck {
  static final String ID = "firewall";
  static final String TITLE = "Firewall rules against the edge's addresses and the web ports";
  private static final Pattern ADDRESS = Pattern.compile("(?<![\\w.:])(\\d{1,3}(?:\\.\\d{1,3}){3}(?:/\\d{1,2})?|[0-9a-fA-F]{0,4}(?::[0-9a-fA-F]{0,4}){2,7}(?:/\\d{1,3})?)(?![\\w.:])");
  private static final Pattern BLOCKING = Pattern.compile("(?i)\\b(drop|reject|deny)\\b");

  /** @param edgeBlocked rule lines that drop or reject an edge address */
  record Result(List<String> edgeBlocked, List<String> portBlocked, CheckResult check) {}

  private FirewallRulesCheck() {}

  static Result run(List<Cidr> edgeRanges, List<Integer> ports, Duration timeout, Executor pool) {
    List<String> evidence = new ArrayList<>();
    List<String> edgeBlocked = new ArrayList<>();
    List<String> portBlocked = new ArrayList<>();
    // every tool at once: each may take the whole tool timeout
    var nft = CompletableFuture.supplyAsync(() -> HostTool.run(timeout, "nft", "list", "ruleset"), pool);
    var ipt = CompletableFuture.supplyAsync(() -> HostTool.run(timeout, "iptables-save"), pool);
    var ip6t = CompletableFuture.supplyAsync(() -> HostTool.run(timeout, "ip6tables-save"), pool);
    var ufw = CompletableFuture.supplyAsync(() -> HostTool.run(timeout, "ufw", "status"), pool);
    var f2b = CompletableFuture.supplyAsync(() -> HostTool.run(timeout, "fail2ban-client", "banned"), pool);
    int toolsRun = 0;
    toolsRun += scan("nft", nft.join(), edgeRanges, ports, evidence, edgeBlocked, portBlocked);
    toolsRun += scan("iptables-save", ipt.join(), edgeRanges, ports, evidence, edgeBlocked, portBlocked);
    toolsRun += scan("ip6tables-save", ip6t.join(), edgeRanges, ports, evidence, edgeBlocked, portBlocked);
    toolsRun += scan("ufw", ufw.join(), edgeRanges, ports, evidence, edgeBlocked, portBlocked);
    Optional<HostTool.Output> banned = f2b.join();
    if (banned.isEmpty()) {
      evidence.add("fail2ban-client: not installed (skipped)");
    } else if (banned.get().exitCode() != 0) {
      // not root, too old for "banned", or timed out: the bans were not read, so they cannot pass
      evidence.add("fail2ban-client: exit " + banned.get().exitCode() + ": "
          + banned.get().text().strip().lines().findFirst().orElse(""));
    } else {
      toolsRun++;
      for (String ip : addresses(banned.get().text())) {
        if (matchesEdge(ip, edgeRanges)) edgeBlocked.add("fail2ban has banned " + ip);
      }
      evidence.add("fail2ban-client banned: read");
    }
    if (toolsRun == 0) {
      return new Result(List.of(), List.of(), new CheckResult(ID, TITLE, Outcome.SKIPPED,
          "no firewall tool found (nft, iptables-save, ufw, fail2ban-client): rules not read", evidence, 0));
    }
    if (edgeRanges.isEmpty()) evidence.add("no edge ranges known (--edge-ranges or edge.egress in --config): only port rules matched");
    edgeBlocked.forEach(l -> evidence.add("blocks the edge: " + l));
    portBlocked.forEach(l -> evidence.add("blocks a web port: " + l));
    Outcome outcome = !edgeBlocked.isEmpty() ? Outcome.PROBLEM : !portBlocked.isEmpty() ? Outcome.WARNING : Outcome.PASSED;
    String summary = !edgeBlocked.isEmpty() ? edgeBlocked.size() + " rule(s) drop or reject the edge's addresses"
        : !portBlocked.isEmpty() ? portBlocked.size() + " rule(s) drop or reject traffic to the web ports"
        : "no drop or reject rule for the edge's addresses or the web ports";
    return new Result(edgeBlocked, portBlocked, new CheckResult(ID, TITLE, outcome, summary, evidence, 0));
  }

  private static int scan(String tool, Optional<HostTool.Output> out, List<Cidr> edge, List<Integer> ports,
      List<String> evidence, List<String> edgeBlocked, List<String> portBlocked) {
    if (out.isEmpty()) {
      evidence.add(tool + ": not installed (skipped)");
      return 0;
    }
    if (out.get().exitCode() != 0) {
      evidence.add(tool + ": exit " + out.get().exitCode() + ": " + out.get().text().strip().lines().findFirst().orElse(""));
      return 0;
    }
    int lines = match(tool, out.get().text(), edge, ports, edgeBlocked, portBlocked);
    evidence.add(tool + ": read, " + lines + " drop/reject rule(s)");
    return 1;
  }

  /**
   * Sorts the drop and reject lines of a ruleset: those naming an edge address, and those closing
   * a web port to every source. Returns how many drop or reject lines there were.
   */
  static int match(String tool, String ruleset, List<Cidr> edge, List<Integer> ports, List<String> edgeBlocked,
      List<String> portBlocked) {
    int lines = 0;
    for (String line : ruleset.lines().map(String::strip).toList()) {
      if (!BLOCKING.matcher(line).find()) continue;
      lines++;
      if (addresses(line).stream().anyMatch(a -> matchesEdge(a, edge))) {
        edgeBlocked.add(tool + ": " + line);
      } else if (mentionsPort(line, ports) && !line.toLowerCase(Locale.ROOT).contains("saddr") && !line.contains(" -s ")) {
        portBlocked.add(tool + ": " + line);
      }
    }
    return lines;
  }

  static List<String> addresses(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = ADDRESS.matcher(text);
    while (m.find()) out.add(m.group(1));
    return out;
  }

  static boolean matchesEdge(String token, List<Cidr> edge) {
    Cidr c;
    try {
      c = Cidr.parse(token);
    } catch (IllegalArgumentException e) {
      try {
        c = Cidr.parse(token.substring(0, token.indexOf('/') < 0 ? token.length() : token.indexOf('/')));
      } catch (IllegalArgumentException e2) {
        return false; // a version number or a time, not an address
      }
    }
    Cidr rule = c;
    return edge.stream().anyMatch(e -> e.isIpv4() == rule.isIpv4() && (e.contains(rule.network()) || rule.contains(e.network())));
  }

  private static boolean mentionsPort(String line, List<Integer> ports) {
    for (int p : ports) {
      if (Pattern.compile("(dport|--dport|dports)\\D{0,6}([\\d, {}]*\\b)?" + p + "\\b|\\b" + p + "/tcp\\b").matcher(line).find()) return true;
    }
    return false;
  }
}
