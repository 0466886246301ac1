package io.edgeray.config.load;

import io.edgeray.config.Cidr;
import io.edgeray.config.ConfigException;

import io.edgeray.security.Characteristic;
import io.edgeray.security.FirewallAction;
import io.edgeray.security.FirewallRule;
import io.edgeray.security.InvalidExpressionException;
import io.edgeray.security.IpAccessAction;
import io.edgeray.security.IpAccessList;
import io.edgeray.security.IpAccessRule;
import io.edgeray.security.RateLimitAction;
import io.edgeray.security.RateLimitRule;
import io.edgeray.security.RateQuota;
import io.edgeray.security.RuleExpression;
import io.edgeray.security.RuleExpressions;
import io.edgeray.security.ZoneSecurity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Reads {@code ip_access:} (top level and per zone), and a zone's {@code firewall:} and
 * {@code rate_limits:}. Expressions are compiled here, so a bad one is a config error with its
 * line and CEL's column, and a config with one is rejected whole.
 */
final class SecurityConfigReader {
  private static final Pattern RULE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  private SecurityConfigReader() {}

  /** The {@code ip_access:} list of a section (the root or a zone). */
  static IpAccessList ipAccess(ConfigSection s) throws ConfigException {
    var v = s.optional("ip_access");
    if (v.isEmpty()) return IpAccessList.EMPTY;
    List<IpAccessRule> rules = new ArrayList<>();
    Map<Cidr, Integer> lines = new HashMap<>();
    for (ConfigValue r : v.get().list()) {
      ConfigSection rs = r.section();
      ConfigValue ipValue = rs.required("ip");
      Cidr cidr;
      try {
        cidr = Cidr.parse(ipValue.nonEmptyString());
      } catch (IllegalArgumentException e) {
        throw ipValue.error(e.getMessage());
      }
      ConfigValue actionValue = rs.required("action");
      IpAccessAction action = switch (actionValue.nonEmptyString().toLowerCase(Locale.ROOT)) {
        case "allow" -> IpAccessAction.ALLOW;
        case "block" -> IpAccessAction.BLOCK;
        case "log" -> IpAccessAction.LOG;
        default -> throw actionValue.error("\"" + actionValue.string() + "\" is not an IP access action (allow, block or log)");
      };
      var noteValue = rs.optional("note");
      String note = noteValue.isPresent() ? noteValue.get().string() : "";
      var enabledValue = rs.optional("enabled");
      boolean enabled = enabledValue.isEmpty() || enabledValue.get().bool();
      rs.finish();
      Integer earlier = lines.putIfAbsent(cidr, r.line());
      if (earlier != null) throw ipValue.error(cidr + " already has a rule on line " + earlier);
      rules.add(new IpAccessRule(cidr, action, note, enabled));
    }
    return IpAccessList.of(rules);
  }

  /** A zone's {@code ip_access:}, {@code firewall:} and {@code rate_limits:}. */
  static ZoneSecurity zone(ConfigSection zone) throws ConfigException {
    IpAccessList ipAccess = ipAccess(zone);
    Map<String, Integer> ids = new HashMap<>();
    List<FirewallRule> firewall = new ArrayList<>();
    var firewallValue = zone.optional("firewall");
    if (firewallValue.isPresent()) {
      for (ConfigValue r : firewallValue.get().list()) firewall.add(firewallRule(r, ids));
    }
    List<RateLimitRule> rateLimits = new ArrayList<>();
    var limitsValue = zone.optional("rate_limits");
    if (limitsValue.isPresent()) {
      for (ConfigValue r : limitsValue.get().list()) rateLimits.add(rateLimit(r, ids));
    }
    if (ipAccess.isEmpty() && firewall.isEmpty() && rateLimits.isEmpty()) return ZoneSecurity.NONE;
    return new ZoneSecurity(ipAccess, firewall, rateLimits);
  }

  private static FirewallRule firewallRule(ConfigValue v, Map<String, Integer> ids) throws ConfigException {
    ConfigSection s = v.section();
    String id = ruleId(s.required("id"), ids);
    var descriptionValue = s.optional("description");
    String description = descriptionValue.isPresent() ? descriptionValue.get().string() : "";
    RuleExpression expression = expression(s.required("expression"));
    ConfigValue actionValue = s.required("action");
    FirewallAction action = FirewallAction.parse(actionValue.nonEmptyString().toLowerCase(Locale.ROOT));
    if (action == null) {
      throw actionValue.error("\"" + actionValue.string() + "\" is not a firewall action (block, allow, skip_rate_limit or log)");
    }
    var enabledValue = s.optional("enabled");
    boolean enabled = enabledValue.isEmpty() || enabledValue.get().bool();
    s.finish();
    return new FirewallRule(id, description, expression, action, enabled);
  }

  private static RateLimitRule rateLimit(ConfigValue v, Map<String, Integer> ids) throws ConfigException {
    ConfigSection s = v.section();
    String id = ruleId(s.required("id"), ids);
    var expressionValue = s.optional("expression");
    RuleExpression expression = expressionValue.isPresent() ? expression(expressionValue.get()) : null;
    List<Characteristic> characteristics = new ArrayList<>();
    var characteristicsValue = s.optional("characteristics");
    if (characteristicsValue.isPresent()) {
      ConfigValue cv = characteristicsValue.get();
      for (ConfigValue c : cv.isScalar() ? List.of(cv) : cv.list()) {
        Characteristic parsed = Characteristic.parse(c.nonEmptyString());
        if (parsed == null) {
          throw c.error("\"" + c.string() + "\" is not a characteristic (ip.src, http.host, http.request.uri.path, "
              + "http.request.headers[\"name\"] or http.request.cookies[\"name\"])");
        }
        if (characteristics.contains(parsed)) throw c.error(parsed + " is listed twice");
        characteristics.add(parsed);
      }
      if (characteristics.isEmpty()) throw cv.error("a rate limit needs at least one characteristic");
    } else {
      characteristics.add(Characteristic.parse("ip.src"));
    }
    int requests = s.required("requests").integer(1, 1_000_000_000);
    ConfigValue periodValue = s.required("period");
    Duration period = periodValue.duration();
    if (period.toMillis() < 1000 || period.toHours() > 24) throw periodValue.error("a period is 1s to 24h");
    ConfigValue actionValue = s.required("action");
    RateLimitAction action = RateLimitAction.parse(actionValue.nonEmptyString().toLowerCase(Locale.ROOT));
    if (action == null) throw actionValue.error("\"" + actionValue.string() + "\" is not a rate-limit action (block or log)");
    var mitigationValue = s.optional("mitigation_timeout");
    Duration mitigation = period;
    if (mitigationValue.isPresent()) {
      mitigation = mitigationValue.get().string().equals("0") ? Duration.ZERO : mitigationValue.get().duration();
      if (mitigation.toDays() > 1) throw mitigationValue.get().error("a mitigation timeout is at most 24h");
    }
    var enabledValue = s.optional("enabled");
    boolean enabled = enabledValue.isEmpty() || enabledValue.get().bool();
    s.finish();
    return new RateLimitRule(id, expression, characteristics, new RateQuota(requests, period, mitigation), action, enabled);
  }

  private static String ruleId(ConfigValue v, Map<String, Integer> ids) throws ConfigException {
    String id = v.nonEmptyString();
    if (!RULE_ID.matcher(id).matches()) {
      throw v.error("\"" + id + "\" must be 1 to 64 letters, digits, '-', '_' or '.', starting with a letter or digit");
    }
    Integer earlier = ids.putIfAbsent(id, v.line());
    if (earlier != null) throw v.error("rule " + id + " is already defined on line " + earlier + " (ids are unique in a zone)");
    return id;
  }

  /** Compiles an expression; CEL's error names the file line (for a multi-line expression, the line inside it) and the column. */
  private static RuleExpression expression(ConfigValue v) throws ConfigException {
    String source = v.nonEmptyString();
    try {
      return RuleExpressions.compile(source);
    } catch (InvalidExpressionException e) {
      int line = v.line();
      if (e.line() > 1) {
        boolean block = v.node instanceof ScalarNode sc
            && (sc.getScalarStyle() == DumperOptions.ScalarStyle.LITERAL || sc.getScalarStyle() == DumperOptions.ScalarStyle.FOLDED);
        line += block ? e.line() : e.line() - 1;
      }
      throw new ConfigException(v.file, line, v.key, e.getMessage());
    }
  }
}
