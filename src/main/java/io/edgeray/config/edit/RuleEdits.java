package io.edgeray.config.edit;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeray.config.EdgeConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The rule lists ({@link RuleList}) and a zone's cache rules as YAML edits: append an item, change
 * or remove one's keys, delete one, or replace the whole ordered list. A new item is written as
 * one flow mapping; an item changed in place keeps its style, its other keys and its comments.
 * The loader compiles every expression of the result, so a bad one is refused with its key path
 * ({@code zones[0].firewall[2].expression}) and CEL's column, and nothing is written.
 */
final class RuleEdits {
  private static final List<String> CACHE_RULE_KEYS = List.of("host", "path", "bypass", "cache_everything", "edge_ttl",
      "browser_ttl", "cache_set_cookie");

  private RuleEdits() {}

  /** @param zone the zone's name, or null for the edge-wide list (ip_access only) */
  static ConfigEdit add(String zone, RuleList list, JsonNode item) {
    return (file, current) -> {
      int z = zone(current, zone);
      String path = prefix(z) + list.key() + "[" + list.size(current, z) + "]";
      String yaml = item(item, list.keyOrder(), path);
      MappingNode holder = holder(file, z);
      Node seq = YamlDocument.value(holder, list.key());
      if (seq == null) return file.setList(holder, list.key(), List.of(yaml));
      if (!(seq instanceof SequenceNode s)) throw new IllegalStateException(prefix(z) + list.key() + " is not a list");
      if (s.getValue().isEmpty()) return file.setList(holder, list.key(), List.of(yaml));
      return file.append(s, yaml);
    };
  }

  /** Changes only the keys given; a key sent as null is removed (back to its default). */
  static ConfigEdit update(String zone, RuleList list, String id, JsonNode fields) {
    return (file, current) -> {
      int z = zone(current, zone);
      int i = list.indexOf(current, z, id);
      String path = prefix(z) + list.key() + "[" + i + "]";
      if (!fields.isObject() || fields.isEmpty()) throw EditRefused.invalid(path, "send a JSON object of the keys to change");
      YamlDocument doc = file;
      for (Map.Entry<String, JsonNode> f : fields.properties()) {
        doc = SettingsMerge.merge(doc, d -> itemNode(d, z, list, i), f.getKey(), f.getValue());
      }
      return doc;
    };
  }

  static ConfigEdit delete(String zone, RuleList list, String id) {
    return (file, current) -> {
      int z = zone(current, zone);
      int i = list.indexOf(current, z, id);
      return file.remove(listNode(file, z, list.key()), i);
    };
  }

  /** The whole ordered list replaced by a JSON array of items. */
  static ConfigEdit replace(String zone, RuleList list, JsonNode items) {
    return (file, current) -> {
      int z = zone(current, zone);
      List<String> yaml = items(items, list.keyOrder(), prefix(z) + list.key());
      return file.setList(holder(file, z), list.key(), yaml);
    };
  }

  /** A zone's {@code cache.rules} replaced by a JSON array; a zone without a {@code cache:} block gets one. */
  static ConfigEdit replaceCacheRules(String zone, JsonNode items) {
    return (file, current) -> {
      int z = Edits.zoneIndex(current, zone);
      List<String> yaml = items(items, CACHE_RULE_KEYS, prefix(z) + "cache.rules");
      MappingNode zoneMap = Edits.zoneNode(file, z);
      if (YamlDocument.value(zoneMap, "cache") instanceof MappingNode cache) return file.setList(cache, "rules", yaml);
      if (yaml.isEmpty()) return file;
      return file.set(zoneMap, "cache", "{ rules: [" + String.join(", ", yaml) + "] }");
    };
  }

  private static int zone(EdgeConfig current, String zone) throws EditRefused {
    return zone == null ? -1 : Edits.zoneIndex(current, zone);
  }

  private static String prefix(int z) {
    return z < 0 ? "" : "zones[" + z + "].";
  }

  private static MappingNode holder(YamlDocument file, int z) {
    return z < 0 ? file.root() : Edits.zoneNode(file, z);
  }

  private static SequenceNode listNode(YamlDocument file, int z, String key) {
    if (!(YamlDocument.value(holder(file, z), key) instanceof SequenceNode seq)) {
      throw new IllegalStateException(prefix(z) + key + " is not a list");
    }
    return seq;
  }

  private static MappingNode itemNode(YamlDocument file, int z, RuleList list, int i) {
    if (!(listNode(file, z, list.key()).getValue().get(i) instanceof MappingNode m)) {
      throw new IllegalStateException(prefix(z) + list.key() + "[" + i + "] is not a mapping");
    }
    return m;
  }

  private static List<String> items(JsonNode items, List<String> keyOrder, String path) throws EditRefused {
    if (items == null || !items.isArray()) throw EditRefused.invalid(path, "send the whole list as a JSON array, in order");
    List<String> yaml = new ArrayList<>();
    for (JsonNode item : items) yaml.add(item(item, keyOrder, path + "[" + yaml.size() + "]"));
    return yaml;
  }

  /** One item as a flow mapping, its keys in the order the README writes them; null values are left out (the default). */
  private static String item(JsonNode item, List<String> keyOrder, String path) throws EditRefused {
    if (item == null || !item.isObject()) throw EditRefused.invalid(path, "send the rule as a JSON object");
    List<String> entries = new ArrayList<>();
    for (String k : keyOrder) {
      JsonNode v = item.get(k);
      if (v != null && !v.isNull()) entries.add(k + ": " + YamlValues.of(SettingsMerge.withoutNulls(v)));
    }
    for (Map.Entry<String, JsonNode> f : item.properties()) {
      if (!keyOrder.contains(f.getKey()) && !f.getValue().isNull()) {
        entries.add(YamlValues.string(f.getKey()) + ": " + YamlValues.of(SettingsMerge.withoutNulls(f.getValue())));
      }
    }
    return "{ " + String.join(", ", entries) + " }";
  }
}
