package io.edgeray.config.edit;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeray.config.Cidr;
import io.edgeray.config.EdgeConfig;
import io.edgeray.security.IpAccessList;
import io.edgeray.security.IpAccessRule;
import io.edgeray.security.ZoneSecurity;
import java.util.List;
import java.util.Locale;

/**
 * The ordered rule lists the admin API edits item by item: a zone's {@code firewall:},
 * {@code rate_limits:} and {@code ip_access:}, and the edge-wide {@code ip_access:}. A firewall
 * rule or rate limit is found by its {@code id}; an IP rule by its address or block, which is
 * unique in its list ({@code 203.0.113.7} is {@code 203.0.113.7/32}).
 */
public enum RuleList {
  FIREWALL("firewall", List.of("id", "description", "expression", "action", "enabled")),
  RATE_LIMITS("rate_limits", List.of("id", "expression", "characteristics", "requests", "period", "action",
      "mitigation_timeout", "enabled")),
  IP_ACCESS("ip_access", List.of("ip", "action", "note", "enabled"));

  private final String key;
  /** The keys in the order a new item is written; any other key is written after them, for the loader to name. */
  private final List<String> keyOrder;

  RuleList(String key, List<String> keyOrder) {
    this.key = key;
    this.keyOrder = keyOrder;
  }

  /** The YAML key, which is also the route's last segment. */
  public String key() {
    return key;
  }

  List<String> keyOrder() {
    return keyOrder;
  }

  /** The list by its route segment ({@code firewall}, {@code rate_limits}, {@code ip_access}), or null. */
  public static RuleList of(String key) {
    for (RuleList l : values()) if (l.key.equals(key.toLowerCase(Locale.ROOT))) return l;
    return null;
  }

  /** The items of the list as the API shows them, in the file's order. @param zone the zone's index, or -1 for the edge's list */
  List<JsonNode> items(EdgeConfig config, int zone) {
    return switch (this) {
      case FIREWALL -> security(config, zone).firewall().stream().<JsonNode>map(RuleJson::firewall).toList();
      case RATE_LIMITS -> security(config, zone).rateLimits().stream().<JsonNode>map(RuleJson::rateLimit).toList();
      case IP_ACCESS -> ipRules(config, zone).stream().<JsonNode>map(RuleJson::ipRule).toList();
    };
  }

  /** Where the item with this id is in the list (and in the file: the loader keeps the file's order). */
  int indexOf(EdgeConfig config, int zone, String id) throws EditRefused {
    switch (this) {
      case FIREWALL -> {
        var rules = security(config, zone).firewall();
        for (int i = 0; i < rules.size(); i++) if (rules.get(i).id().equals(id)) return i;
      }
      case RATE_LIMITS -> {
        var rules = security(config, zone).rateLimits();
        for (int i = 0; i < rules.size(); i++) if (rules.get(i).id().equals(id)) return i;
      }
      case IP_ACCESS -> {
        Cidr wanted;
        try {
          wanted = Cidr.parse(id);
        } catch (IllegalArgumentException e) {
          throw missing(config, zone, id);
        }
        List<IpAccessRule> rules = ipRules(config, zone);
        for (int i = 0; i < rules.size(); i++) if (rules.get(i).cidr().equals(wanted)) return i;
      }
    }
    throw missing(config, zone, id);
  }

  int size(EdgeConfig config, int zone) {
    return items(config, zone).size();
  }

  private EditRefused missing(EdgeConfig config, int zone, String id) {
    String where = zone < 0 ? "the edge's " + key : "zone " + config.zones().get(zone).name() + "'s " + key;
    return EditRefused.notFound("no_such_rule", where + " has no rule " + id);
  }

  private static ZoneSecurity security(EdgeConfig config, int zone) {
    if (zone < 0) throw new IllegalArgumentException("only ip_access is edge-wide");
    return ZoneSecurity.of(config.zones().get(zone));
  }

  private static List<IpAccessRule> ipRules(EdgeConfig config, int zone) {
    return zone < 0 ? IpAccessList.of(config).rules() : ZoneSecurity.of(config.zones().get(zone)).ipAccess().rules();
  }
}
