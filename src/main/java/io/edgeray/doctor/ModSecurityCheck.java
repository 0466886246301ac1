package io.edgeray.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeray.config.Cidr;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * On the origin host: the ModSecurity audit log, for requests from the edge's addresses that a
 * rule denied. Behind an edge every visitor arrives from the edge's few addresses, so a rule that
 * scores or bans by client address (or one bad visitor's requests) turns into 403s for everyone.
 * Reads the serial audit log in the native format (sections A and H, ModSecurity 2 and 3) and in
 * JSON (one transaction a line), wherever {@code SecAuditLog} points or at the usual places.
 */
final class ModSecurityCheck {
  static final String ID = "modsecurity";
  static final String TITLE = "ModSecurity denials of the edge's addresses";
  /** Where the audit log usually is, relative to the root; a SecAuditLog directive adds its own. */
  static final List<String> USUAL_LOGS = List.of("var/log/apache2/modsec_audit.log", "var/log/httpd/modsec_audit.log",
      "var/log/modsec_audit.log", "var/log/nginx/modsec_audit.log", "var/log/modsecurity/modsec_audit.log");
  private static final List<String> CONFIG_DIRS = List.of("etc/modsecurity", "etc/nginx/modsec", "etc/apache2/mods-enabled",
      "etc/httpd/conf.d", "etc/httpd/modsecurity.d");
  private static final long TAIL_BYTES = 2 * 1024 * 1024;
  private static final Pattern SECTION = Pattern.compile("^--([0-9a-zA-Z]+)-([A-Z])--$");
  private static final Pattern SEC_AUDIT_LOG = Pattern.compile("(?im)^\\s*SecAuditLog\\s+\"?([^\"\\s]+)\"?\\s*$");
  private static final Pattern DENIED = Pattern.compile("(?i)access denied|intercepted");
  private static final Pattern RULE_ID = Pattern.compile("\\[id \"(\\d+)\"\\]");
  private static final Pattern RULE_MSG = Pattern.compile("\\[msg \"([^\"]*)\"\\]");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One denied transaction: the client address and the rules that fired. */
  record Denial(String client, List<String> rules) {}

  /** @param denials denied requests from an edge address */
  record Result(List<Denial> denials, CheckResult check) {
    /** "949110 (Inbound Anomaly Score Exceeded)" and the like, most frequent first. */
    List<String> rules() {
      Map<String, Integer> count = new LinkedHashMap<>();
      denials.forEach(d -> d.rules().forEach(r -> count.merge(r, 1, Integer::sum)));
      return count.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).map(Map.Entry::getKey).toList();
    }
  }

  private ModSecurityCheck() {}

  static Result run(Path root, List<Cidr> edgeRanges) {
    Set<Path> logs = new LinkedHashSet<>();
    boolean configured = false;
    for (String dir : CONFIG_DIRS) {
      Path d = root.resolve(dir);
      if (!Files.isDirectory(d)) continue;
      try (Stream<Path> files = Files.list(d)) {
        for (Path f : files.filter(f -> f.toString().endsWith(".conf")).toList()) {
          String text = Files.readString(f);
          if (!text.contains("SecRuleEngine") && !text.contains("SecAuditLog") && !dir.equals("etc/modsecurity")) continue;
          configured = true;
          Matcher m = SEC_AUDIT_LOG.matcher(text);
          while (m.find()) logs.add(under(root, m.group(1)));
        }
      } catch (IOException e) {
        // an unreadable config directory: the usual log places still apply
      }
    }
    for (String l : USUAL_LOGS) logs.add(root.resolve(l));
    List<Path> readable = logs.stream().filter(Files::isReadable).toList();
    if (readable.isEmpty()) {
      return new Result(List.of(), CheckResult.skipped(ID, TITLE, configured
          ? "ModSecurity is configured but no audit log can be read (looked at " + logs + ")"
          : "ModSecurity is not installed (no audit log, no config in " + CONFIG_DIRS + ")"));
    }
    List<String> evidence = new ArrayList<>();
    List<Denial> fromEdge = new ArrayList<>();
    for (Path log : readable) {
      try {
        List<Denial> denials = parse(LogTail.lines(log, TAIL_BYTES));
        List<Denial> edge = denials.stream().filter(d -> FirewallRulesCheck.matchesEdge(d.client(), edgeRanges)).toList();
        evidence.add(log + ": " + denials.size() + " denied request(s) in the last " + TAIL_BYTES / 1024 / 1024 + " MiB, "
            + edge.size() + " from the edge's addresses");
        fromEdge.addAll(edge);
      } catch (IOException e) {
        evidence.add(log + ": cannot read: " + e.getMessage());
      }
    }
    Result r = new Result(fromEdge, null);
    if (edgeRanges.isEmpty()) {
      return new Result(List.of(), new CheckResult(ID, TITLE, Outcome.INFO, "audit log read; no edge ranges known to match its"
          + " clients against (--edge-ranges or edge.egress in --config)", evidence, 0));
    }
    if (fromEdge.isEmpty()) {
      return new Result(fromEdge, new CheckResult(ID, TITLE, Outcome.PASSED, "no request from the edge's addresses was denied", evidence, 0));
    }
    Set<String> clients = new LinkedHashSet<>();
    fromEdge.forEach(d -> clients.add(d.client()));
    evidence.add("denied edge addresses: " + clients);
    evidence.add("rules that denied them: " + r.rules());
    return new Result(fromEdge, new CheckResult(ID, TITLE, Outcome.PROBLEM, fromEdge.size() + " request(s) from the edge's addresses "
        + clients + " denied by rules " + r.rules(), evidence, 0));
  }

  /** The denied transactions of an audit log's lines, native (sections A and H) or JSON. */
  static List<Denial> parse(List<String> lines) {
    List<Denial> out = new ArrayList<>();
    String client = null;
    char section = 0;
    List<String> rules = new ArrayList<>();
    boolean denied = false;
    for (String line : lines) {
      String t = line.strip();
      if (t.startsWith("{")) {
        Denial d = json(t);
        if (d != null) out.add(d);
        continue;
      }
      Matcher s = SECTION.matcher(t);
      if (s.matches()) {
        section = s.group(2).charAt(0);
        if (section == 'A') {
          client = null;
          rules = new ArrayList<>();
          denied = false;
        } else if (section == 'Z') {
          if (client != null && denied) out.add(new Denial(client, List.copyOf(rules)));
          client = null;
        }
        continue;
      }
      if (section == 'A' && client == null && t.startsWith("[")) {
        // [23/Nov/2026:12:00:00 +0000] UNIQUE_ID CLIENT_IP CLIENT_PORT SERVER_IP SERVER_PORT
        String[] f = t.substring(t.indexOf(']') + 1).trim().split("\\s+");
        if (f.length >= 2) client = f[1];
      } else if (section == 'H' || section == 'K') {
        if (DENIED.matcher(t).find()) denied = true;
        String rule = rule(t);
        if (rule != null && DENIED.matcher(t).find() && !rules.contains(rule)) rules.add(rule);
      } else if (section == 'F' && t.matches("HTTP/\\S+ 403.*")) {
        denied = true;
      }
    }
    return out;
  }

  /** A ModSecurity 3 ({@code transaction.client_ip}, {@code messages[].details.ruleId}) or 2 ({@code transaction.remote_address}) JSON entry. */
  private static Denial json(String line) {
    JsonNode n;
    try {
      n = JSON.readTree(line);
    } catch (IOException e) {
      return null;
    }
    JsonNode tx = n.path("transaction");
    String client = tx.path("client_ip").asText(tx.path("remote_address").asText(""));
    if (client.isEmpty()) return null;
    int status = tx.path("response").path("http_code").asInt(n.path("response").path("status").asInt(0));
    boolean intercepted = n.path("audit_data").path("action").path("intercepted").asBoolean(false);
    List<String> rules = new ArrayList<>();
    for (JsonNode m : tx.path("messages")) {
      String id = m.path("details").path("ruleId").asText("");
      String msg = m.path("message").asText("");
      if (!id.isEmpty()) rules.add(id + (msg.isEmpty() ? "" : " (" + msg + ")"));
    }
    for (JsonNode m : n.path("audit_data").path("messages")) {
      String rule = rule(m.asText());
      if (rule != null) rules.add(rule);
    }
    // a 4xx the application made itself is no denial: a rule must have fired, or the entry say it intercepted
    if (!intercepted && (status < 400 || rules.isEmpty())) return null;
    return new Denial(client, List.copyOf(rules));
  }

  /** "949110 (Inbound Anomaly Score Exceeded (Total Score: 5))" from a message line, or null. */
  private static String rule(String text) {
    Matcher id = RULE_ID.matcher(text);
    if (!id.find()) return null;
    Matcher msg = RULE_MSG.matcher(text);
    return id.group(1) + (msg.find() ? " (" + msg.group(1) + ")" : "");
  }

  private static Path under(Path root, String path) {
    return path.startsWith("/") ? root.resolve(path.substring(1)) : root.resolve(path);
  }
}
