package io.edgeray.config.edit;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeray.config.DnsRecord;
import io.edgeray.config.EdgeConfig;
import io.edgeray.config.PoolOrigin;
import io.edgeray.config.PoolSpec;
import io.edgeray.config.Zone;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The changes the admin API makes, as YAML edits. A zone, record, pool or origin is found in the
 * running config by name or id; its index there is its index in the file, because the loader
 * keeps the file's order. JSON values become YAML as they are ({@link YamlValues}) and are judged
 * by the loader, so the API accepts exactly what the file would.
 */
final class Edits {
  /** The record keys in the order a new record is written; any other key is written after them, for the loader to name. */
  private static final List<String> RECORD_KEYS = List.of("type", "name", "content", "priority", "proxied", "ttl");
  static final List<String> ZONE_SETTINGS = List.of("ssl", "always_use_https", "paused", "origin_ports", "timeouts", "cache");

  private Edits() {}

  static ConfigEdit addRecord(String zone, JsonNode record) {
    return new ConfigEdit() {
      @Override
      public YamlDocument apply(YamlDocument file, EdgeConfig current) throws EditRefused {
        int z = zoneIndex(current, zone);
        String item = recordYaml(record, "zones[" + z + "].records[" + current.zones().get(z).records().size() + "]");
        MappingNode zoneMap = zoneNode(file, z);
        Node records = YamlDocument.value(zoneMap, "records");
        if (records == null) return file.addSequence(zoneMap, "records", item);
        if (!(records instanceof SequenceNode seq)) throw new IllegalStateException("zones[" + z + "].records is not a list");
        return file.append(seq, item);
      }

      @Override
      public void check(EdgeConfig before, EdgeConfig after) throws EditRefused {
        noNewDuplicates(before, after, zone);
      }
    };
  }

  static ConfigEdit updateRecord(String zone, String id, JsonNode fields, boolean replace) {
    return new ConfigEdit() {
      @Override
      public YamlDocument apply(YamlDocument file, EdgeConfig current) throws EditRefused {
        int z = zoneIndex(current, zone);
        int r = recordIndex(current.zones().get(z), id);
        String path = "zones[" + z + "].records[" + r + "]";
        if (replace) return file.replace(recordNode(file, z, r), recordYaml(fields, path));
        if (!fields.isObject()) throw EditRefused.invalid(path, "send a JSON object of the record's fields to change");
        YamlDocument doc = file;
        for (Map.Entry<String, JsonNode> f : fields.properties()) {
          if (f.getKey().equals("id")) continue;
          Node node = recordNode(doc, z, r);
          if (!(node instanceof MappingNode m)) throw new IllegalStateException(path + " is not a mapping");
          doc = doc.set(m, f.getKey(), YamlValues.of(f.getValue()));
        }
        return doc;
      }

      @Override
      public void check(EdgeConfig before, EdgeConfig after) throws EditRefused {
        noNewDuplicates(before, after, zone);
      }
    };
  }

  static ConfigEdit deleteRecord(String zone, String id) {
    return (file, current) -> {
      int z = zoneIndex(current, zone);
      int r = recordIndex(current.zones().get(z), id);
      return file.remove(recordsNode(file, z), r);
    };
  }

  static ConfigEdit zoneSettings(String zone, JsonNode settings) {
    return (file, current) -> {
      int z = zoneIndex(current, zone);
      String path = "zones[" + z + "]";
      if (!settings.isObject() || settings.isEmpty()) {
        throw EditRefused.invalid(path, "send a JSON object with one or more of " + String.join(", ", ZONE_SETTINGS));
      }
      YamlDocument doc = file;
      for (Map.Entry<String, JsonNode> s : settings.properties()) {
        String key = s.getKey();
        if (!ZONE_SETTINGS.contains(key)) {
          throw EditRefused.invalid(path + "." + key, "not a zone setting this route changes (" + String.join(", ", ZONE_SETTINGS) + ")");
        }
        doc = SettingsMerge.merge(doc, d -> zoneNode(d, z), key, s.getValue());
      }
      return doc;
    };
  }

  static ConfigEdit originEnabled(String pool, String origin, boolean enabled) {
    return (file, current) -> {
      int p = -1;
      for (int i = 0; i < current.pools().size(); i++) if (current.pools().get(i).name().equals(pool)) p = i;
      if (p < 0) throw EditRefused.notFound("no_such_pool", "no pool named " + pool + " in the config");
      PoolSpec spec = current.pools().get(p);
      int o = -1;
      for (int i = 0; i < spec.origins().size(); i++) if (spec.origins().get(i).name().equals(origin)) o = i;
      if (o < 0) {
        throw EditRefused.notFound("no_such_origin", "pool " + pool + " has no origin named " + origin + " (it has "
            + String.join(", ", spec.origins().stream().map(PoolOrigin::name).toList()) + ")");
      }
      Node pools = YamlDocument.value(file.root(), "pools");
      Node origins = pools instanceof SequenceNode ps ? map(ps.getValue().get(p), "origins") : null;
      if (!(origins instanceof SequenceNode os) || !(os.getValue().get(o) instanceof MappingNode m)) {
        throw new IllegalStateException("pools[" + p + "].origins[" + o + "] is not a mapping");
      }
      return file.set(m, "enabled", Boolean.toString(enabled));
    };
  }

  static int zoneIndex(EdgeConfig config, String name) throws EditRefused {
    for (int i = 0; i < config.zones().size(); i++) if (config.zones().get(i).name().equalsIgnoreCase(name)) return i;
    throw EditRefused.notFound("no_such_zone", "no zone named " + name + " in the config");
  }

  static int recordIndex(Zone zone, String id) throws EditRefused {
    for (int i = 0; i < zone.records().size(); i++) if (RecordId.of(zone.records().get(i)).equals(id)) return i;
    throw EditRefused.notFound("no_such_record", "zone " + zone.name() + " has no record with id " + id);
  }

  /** A record as one flow mapping, its keys in the order the README writes them. */
  private static String recordYaml(JsonNode record, String path) throws EditRefused {
    if (!record.isObject()) throw EditRefused.invalid(path, "send the record as a JSON object {type, name, content, proxied, ttl}");
    List<String> entries = new ArrayList<>();
    for (String k : RECORD_KEYS) if (record.has(k)) entries.add(k + ": " + YamlValues.of(record.get(k)));
    for (Map.Entry<String, JsonNode> f : record.properties()) {
      if (!RECORD_KEYS.contains(f.getKey()) && !f.getKey().equals("id")) entries.add(YamlValues.string(f.getKey()) + ": " + YamlValues.of(f.getValue()));
    }
    return "{ " + String.join(", ", entries) + " }";
  }

  /** The loader allows two identical records; the API does not make one, since they would share an id. */
  private static void noNewDuplicates(EdgeConfig before, EdgeConfig after, String zone) throws EditRefused {
    int was = duplicates(before.zones().get(zoneIndex(before, zone)));
    int now = duplicates(after.zones().get(zoneIndex(after, zone)));
    if (now > was) throw EditRefused.conflict("record_exists", "zone " + zone + " already has that record (same type, name and content)");
  }

  private static int duplicates(Zone zone) {
    Set<String> ids = new HashSet<>();
    int n = 0;
    for (DnsRecord r : zone.records()) if (!ids.add(RecordId.of(r))) n++;
    return n;
  }

  static MappingNode zoneNode(YamlDocument file, int z) {
    Node zones = YamlDocument.value(file.root(), "zones");
    if (!(zones instanceof SequenceNode seq) || !(seq.getValue().get(z) instanceof MappingNode m)) {
      throw new IllegalStateException("zones[" + z + "] is not a mapping");
    }
    return m;
  }

  private static SequenceNode recordsNode(YamlDocument file, int z) {
    if (!(YamlDocument.value(zoneNode(file, z), "records") instanceof SequenceNode seq)) {
      throw new IllegalStateException("zones[" + z + "].records is not a list");
    }
    return seq;
  }

  private static Node recordNode(YamlDocument file, int z, int r) {
    return recordsNode(file, z).getValue().get(r);
  }

  private static Node map(Node node, String key) {
    if (!(node instanceof MappingNode m)) throw new IllegalStateException("expected a mapping above " + key);
    return YamlDocument.value(m, key);
  }
}
