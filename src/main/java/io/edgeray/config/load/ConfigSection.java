package io.edgeray.config.load;

import io.edgeray.config.ConfigException;
import io.edgeray.config.load.ConfigValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * A YAML mapping being read. It remembers which keys were asked for, so that {@link #finish()}
 * can reject a misspelt key ({@code timeout:} for {@code timeouts:}) instead of ignoring it.
 */
final class ConfigSection {
  private final String file;
  private final String path;
  private final MappingNode node;
  private final Map<String, ConfigValue> values = new LinkedHashMap<>();
  private final Map<String, Integer> keyLines = new LinkedHashMap<>();
  private final Set<String> known = new LinkedHashSet<>(); // asked for; a key read twice is listed once

  ConfigSection(String file, String path, MappingNode node) throws ConfigException {
    this.file = file;
    this.path = path;
    this.node = node;
    for (NodeTuple t : node.getValue()) {
      if (!(t.getKeyNode() instanceof ScalarNode k)) {
        throw new ConfigException(file, t.getKeyNode().getStartMark().getLine() + 1, path, "keys must be plain words");
      }
      String name = k.getValue();
      if (values.containsKey(name)) {
        throw new ConfigException(file, k.getStartMark().getLine() + 1, child(name), "appears twice");
      }
      values.put(name, new ConfigValue(file, child(name), t.getValueNode()));
      keyLines.put(name, k.getStartMark().getLine() + 1);
    }
  }

  private String child(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  int line() {
    return node.getStartMark().getLine() + 1;
  }

  String path() {
    return path;
  }

  ConfigException error(String problem) {
    return new ConfigException(file, line(), path, problem);
  }

  Optional<ConfigValue> optional(String key) {
    known.add(key);
    ConfigValue v = values.get(key);
    if (v != null && v.isScalar() && ((ScalarNode) v.node).getValue().isEmpty()
        && ((ScalarNode) v.node).getTag().getValue().endsWith(":null")) {
      return Optional.empty();
    }
    return Optional.ofNullable(v);
  }

  ConfigValue required(String key) throws ConfigException {
    return optional(key).orElseThrow(() -> new ConfigException(file, line(), child(key), "is required"));
  }

  /** Rejects keys nobody asked for; call after every key has been read. */
  void finish() throws ConfigException {
    for (Map.Entry<String, ConfigValue> e : values.entrySet()) {
      if (!known.contains(e.getKey())) {
        throw new ConfigException(file, keyLines.get(e.getKey()), child(e.getKey()),
            "unknown key (known here: " + String.join(", ", known) + ")");
      }
    }
  }
}
