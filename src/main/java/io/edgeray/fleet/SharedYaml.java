package io.edgeray.fleet;

import io.edgeray.config.FleetSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Cuts a config's text into the node's part and the fleet's part, line by line, so that the text
 * the node finally reads keeps every line where the operator wrote it: an error in the node's
 * file names its line there, an error in etcd's part names its line in that part.
 */
final class SharedYaml {
  private static final Pattern NEWLINE = Pattern.compile("\r?\n", Pattern.MULTILINE);

  /** A node file with the fleet's part appended: lines after {@code sharedFrom} are etcd's. */
  record Composed(String text, int sharedFrom) {}

  private SharedYaml() {}

  /** The shared top-level keys of a whole config, as YAML text (empty when it has none). */
  static String extract(String text) {
    List<String> lines = lines(text);
    StringBuilder out = new StringBuilder();
    for (int[] range : ranges(text, lines.size(), true)) {
      for (int i = range[0]; i < range[1]; i++) out.append(lines.get(i)).append('\n');
    }
    return out.toString();
  }

  /** The node file with its own shared keys blanked out (etcd's replace them) and etcd's part after it. */
  static Composed compose(String nodeText, String sharedText) {
    List<String> lines = new ArrayList<>(lines(nodeText));
    for (int[] range : ranges(nodeText, lines.size(), true)) {
      for (int i = range[0]; i < range[1]; i++) lines.set(i, "");
    }
    StringBuilder out = new StringBuilder();
    for (String l : lines) out.append(l).append('\n');
    return new Composed(out + sharedText, lines.size());
  }

  /** A top-level key of the fleet's part that is not the fleet's, with its 1-based line; null when there is none. */
  record NodeKey(String key, int line) {}

  static NodeKey nodeKey(String sharedText) {
    Node root;
    try {
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(true);
      root = new Yaml(options).compose(new java.io.StringReader(sharedText));
    } catch (YAMLException e) {
      return null; // the loader names the problem
    }
    if (!(root instanceof MappingNode m)) return null;
    for (NodeTuple t : m.getValue()) {
      if (t.getKeyNode() instanceof ScalarNode k && !FleetSettings.SHARED_KEYS.contains(k.getValue())) {
        return new NodeKey(k.getValue(), k.getStartMark().getLine() + 1);
      }
    }
    return null;
  }

  private static List<String> lines(String text) {
    List<String> lines = new ArrayList<>(List.of(NEWLINE.split(text, -1)));
    if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) lines.remove(lines.size() - 1);
    return lines;
  }

  /**
   * Line ranges [from, to) of the top-level keys that are (or, with {@code shared} false, are
   * not) the fleet's. A key's range runs to the next key. Text that is not a block mapping
   * yields nothing: the loader will say what is wrong with it.
   */
  private static List<int[]> ranges(String text, int lineCount, boolean shared) {
    Node root;
    try {
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(true);
      root = new Yaml(options).compose(new java.io.StringReader(text));
    } catch (YAMLException e) {
      return List.of();
    }
    if (!(root instanceof MappingNode m) || m.getFlowStyle() == org.yaml.snakeyaml.DumperOptions.FlowStyle.FLOW) {
      return List.of();
    }
    List<NodeTuple> tuples = m.getValue();
    List<int[]> out = new ArrayList<>();
    for (int i = 0; i < tuples.size(); i++) {
      Node key = tuples.get(i).getKeyNode();
      if (!(key instanceof ScalarNode k)) continue;
      int from = key.getStartMark().getLine();
      int to = i + 1 < tuples.size() ? tuples.get(i + 1).getKeyNode().getStartMark().getLine() : lineCount;
      if (FleetSettings.SHARED_KEYS.contains(k.getValue()) == shared) out.add(new int[] {from, Math.min(to, lineCount)});
    }
    return out;
  }
}
