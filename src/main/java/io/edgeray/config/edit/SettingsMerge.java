package io.edgeray.config.edit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * A JSON setting merged into the YAML the way a PATCH means it: an object into an existing
 * mapping key by key, at any depth ({@code {"cache": {"cache_key": {"query": "sort"}}}} changes
 * that one key and leaves the rest of {@code cache:} as written); {@code null} removes the key,
 * so the setting is back to its default; anything else replaces the value.
 */
final class SettingsMerge {
  private SettingsMerge() {}

  /** @param parent finds the mapping that holds {@code key} in a document (each edit gives a new one) */
  static YamlDocument merge(YamlDocument doc, Function<YamlDocument, MappingNode> parent, String key, JsonNode value) {
    if (value.isNull()) return doc.remove(parent.apply(doc), key);
    Node existing = YamlDocument.value(parent.apply(doc), key);
    if (value.isObject() && existing instanceof MappingNode) {
      // the values first, the removals last: a removal that empties the mapping leaves nothing to set into
      List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
      value.properties().forEach(e -> { if (!e.getValue().isNull()) entries.add(e); });
      value.properties().forEach(e -> { if (e.getValue().isNull()) entries.add(e); });
      for (Map.Entry<String, JsonNode> inner : entries) {
        doc = merge(doc, d -> (MappingNode) YamlDocument.value(parent.apply(d), key), inner.getKey(), inner.getValue());
      }
      return doc;
    }
    JsonNode written = withoutNulls(value);
    if (written.isObject() && existing instanceof ScalarNode s && key.equals("always_online") && !written.has("window")) {
      // always_online: 3d is the short form of { window: 3d }: a banner alone keeps the window
      ObjectNode both = JsonNodeFactory.instance.objectNode().put("window", s.getValue());
      both.setAll((ObjectNode) written);
      written = both;
    }
    return doc.set(parent.apply(doc), key, YamlValues.of(written));
  }

  /** A new value has no use for a null inside it: absent is the default already. */
  static JsonNode withoutNulls(JsonNode value) {
    if (!value.isObject()) return value;
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    value.properties().forEach(e -> { if (!e.getValue().isNull()) o.set(e.getKey(), withoutNulls(e.getValue())); });
    return o;
  }
}
