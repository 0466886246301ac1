package io.edgeray.doctor;

import io.edgeray.config.Cidr;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * On the origin host: firewalld, read as firewalld sees itself rather than as the nft rules it
 * generates: its zones ({@code /etc/firewalld/zones/*.xml}, and at run time
 * {@code firewall-cmd --list-all-zones}), the sources bound to a zone whose target drops or
 * rejects, and the rich rules that drop or reject a source. Each is matched against the edge's ranges.
 */
final class FirewalldCheck {
  static final String ID = "firewalld";
  static final String TITLE = "firewalld zones and rich rules against the edge's addresses";
  static final String ZONES = "etc/firewalld/zones";
  private static final Pattern RICH_SOURCE = Pattern.compile("source\\s+(?:NOT\\s+)?address=\"?([^\"\\s]+)\"?");
  private static final Pattern RICH_BLOCKS = Pattern.compile("\\b(drop|reject)\\b");

  /** @param edgeBlocked zone sources and rich rules that drop or reject an edge address */
  record Result(List<String> edgeBlocked, CheckResult check) {}

  private FirewalldCheck() {}

  /**
   * @param root the file system root; {@code firewall-cmd} (the running firewall) is asked only when
   *     it is the real one, {@code /}
   */
  static Result run(Path root, List<Cidr> edgeRanges, Duration timeout) {
    Path zones = root.resolve(ZONES);
    Optional<HostTool.Output> runtime = root.equals(Path.of("/"))
        ? HostTool.run(timeout, "firewall-cmd", "--list-all-zones") : Optional.empty();
    if (!Files.isDirectory(root.resolve("etc/firewalld")) && runtime.isEmpty()) {
      return new Result(List.of(), CheckResult.skipped(ID, TITLE, "firewalld is not installed (no " + root.resolve("etc/firewalld") + ")"));
    }
    List<String> evidence = new ArrayList<>();
    List<String> blocked = new ArrayList<>();
    int read = 0;
    if (Files.isDirectory(zones)) {
      try (Stream<Path> files = Files.list(zones)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".xml")).sorted().toList()) {
          read++;
          zoneFile(f, edgeRanges, evidence, blocked);
        }
      } catch (IOException e) {
        evidence.add("cannot list " + zones + ": " + e.getMessage());
      }
    }
    if (runtime.isPresent()) {
      if (runtime.get().exitCode() == 0) {
        read++;
        listAllZones(runtime.get().text(), edgeRanges, evidence, blocked);
      } else {
        evidence.add("firewall-cmd: exit " + runtime.get().exitCode() + ": " + runtime.get().text().strip().lines().findFirst().orElse(""));
      }
    }
    if (read == 0) {
      return new Result(List.of(), new CheckResult(ID, TITLE, Outcome.SKIPPED, "firewalld is installed but neither its zone files nor"
          + " firewall-cmd could be read", evidence, 0));
    }
    List<String> unique = blocked.stream().distinct().toList();
    unique.forEach(b -> evidence.add("blocks the edge: " + b));
    if (edgeRanges.isEmpty()) {
      return new Result(List.of(), new CheckResult(ID, TITLE, Outcome.INFO, "firewalld zones read; no edge ranges known to match them"
          + " against (--edge-ranges or edge.egress in --config)", evidence, 0));
    }
    return new Result(unique, new CheckResult(ID, TITLE, unique.isEmpty() ? Outcome.PASSED : Outcome.PROBLEM,
        unique.isEmpty() ? "no firewalld zone or rich rule drops or rejects the edge's addresses"
            : unique.size() + " firewalld zone source(s) or rich rule(s) drop or reject the edge's addresses", evidence, 0));
  }

  /** A permanent zone: {@code <zone target="DROP"><source address=.../><rule><source address=.../><drop/></rule></zone>}. */
  private static void zoneFile(Path f, List<Cidr> edge, List<String> evidence, List<String> blocked) {
    String zone = f.getFileName().toString().replaceFirst("\\.xml$", "");
    Document doc;
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setExpandEntityReferences(false);
      doc = factory.newDocumentBuilder().parse(f.toFile());
    } catch (Exception e) {
      evidence.add(f + ": cannot parse: " + e.getMessage());
      return;
    }
    Element root = doc.getDocumentElement();
    String target = target(zone, root.getAttribute("target"));
    int rules = 0;
    NodeList children = root.getChildNodes();
    for (int i = 0; i < children.getLength(); i++) {
      if (!(children.item(i) instanceof Element e)) continue;
      if (e.getTagName().equals("source") && blocks(target)) {
        String a = e.getAttribute("address");
        if (!a.isEmpty() && FirewallRulesCheck.matchesEdge(a, edge)) {
          blocked.add("zone " + zone + " (target " + target + ") has source " + a + " [" + f.getFileName() + "]");
        }
      } else if (e.getTagName().equals("rule")) {
        rules++;
        String action = null;
        String source = null;
        boolean inverted = false;
        NodeList parts = e.getChildNodes();
        for (int j = 0; j < parts.getLength(); j++) {
          if (!(parts.item(j) instanceof Element p)) continue;
          if (p.getTagName().equals("source")) {
            source = p.getAttribute("address");
            inverted = p.getAttribute("invert").equalsIgnoreCase("true") || p.getAttribute("invert").equals("yes");
          } else if (p.getTagName().equals("drop") || p.getTagName().equals("reject")) {
            action = p.getTagName();
          }
        }
        if (action != null && source != null && !source.isEmpty() && !inverted && FirewallRulesCheck.matchesEdge(source, edge)) {
          blocked.add("zone " + zone + ": rich rule " + action + "s source " + source + " [" + f.getFileName() + "]");
        }
      }
    }
    evidence.add(f.getFileName() + ": zone " + zone + ", target " + target + ", " + rules + " rich rule(s)");
  }

  /**
   * {@code firewall-cmd --list-all-zones}: a block per zone, its name at the start of a line, then
   * indented {@code target:}, {@code sources:} and {@code rich rules:} lines.
   */
  static void listAllZones(String text, List<Cidr> edge, List<String> evidence, List<String> blocked) {
    String zone = null;
    String target = "default";
    boolean inRich = false;
    int zones = 0;
    for (String line : text.lines().toList()) {
      if (line.isBlank()) continue;
      if (!Character.isWhitespace(line.charAt(0))) {
        zone = line.trim().split("\\s+")[0];
        target = target(zone, "");
        inRich = false;
        zones++;
        continue;
      }
      String t = line.trim();
      if (t.startsWith("target:")) {
        target = target(zone, t.substring(7).trim());
      } else if (t.startsWith("sources:")) {
        inRich = false;
        if (!blocks(target)) continue;
        for (String a : t.substring(8).trim().split("\\s+")) {
          if (!a.isEmpty() && FirewallRulesCheck.matchesEdge(a, edge)) {
            blocked.add("zone " + zone + " (target " + target + ") has source " + a + " [firewall-cmd]");
          }
        }
      } else if (t.startsWith("rich rules:")) {
        inRich = true;
      } else if (inRich && t.startsWith("rule ")) {
        Matcher m = RICH_SOURCE.matcher(t);
        if (m.find() && !t.contains("NOT address") && RICH_BLOCKS.matcher(t).find() && FirewallRulesCheck.matchesEdge(m.group(1), edge)) {
          blocked.add("zone " + zone + ": " + t + " [firewall-cmd]");
        }
      } else if (t.contains(":")) {
        inRich = false;
      }
    }
    evidence.add("firewall-cmd --list-all-zones: " + zones + " zone(s)");
  }

  /** A zone's target; the built-in zones drop and block drop and reject when their file does not say. */
  private static String target(String zone, String declared) {
    if (declared != null && !declared.isEmpty()) return declared;
    return switch (zone == null ? "" : zone.toLowerCase(Locale.ROOT)) {
      case "drop" -> "DROP";
      case "block" -> "%%REJECT%%";
      default -> "default";
    };
  }

  private static boolean blocks(String target) {
    String t = target.toUpperCase(Locale.ROOT);
    return t.equals("DROP") || t.contains("REJECT");
  }
}
