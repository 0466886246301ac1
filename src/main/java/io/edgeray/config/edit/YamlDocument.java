package io.edgeray.config.edit;

import java.io.StringReader;
import java.util.List;
import org.yaml.snakeyaml.DumperOptions.FlowStyle;
import org.yaml.snakeyaml.DumperOptions.ScalarStyle;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The owner's YAML as text plus the node tree SnakeYAML composed from it, edited by splicing the
 * exact character spans the parser marked. Everything outside a span — comments, blank lines,
 * quoting, key order, flow or block style — stays byte for byte, which a load-modify-dump round
 * trip through a YAML library cannot promise (it drops comments and re-flows every line).
 *
 * <p>The rules, for a value that changes: a scalar's span is replaced; a key a mapping lacks is
 * added before a flow mapping's closing brace or on a new line after a block mapping's last line,
 * at its keys' indentation; an item goes after a sequence's last one in the same style; an item is
 * removed with its whole lines (block) or with one neighbouring comma (flow). Each edit returns a
 * new document, parsed again, so the next edit works on fresh marks.
 *
 * <p>SnakeYAML's marks count code points; {@link #offset(Mark)} turns them into {@code String}
 * indexes so a comment with an emoji does not shift every later edit.
 */
final class YamlDocument {
  private final String text;
  private final Node root;

  private YamlDocument(String text, Node root) {
    this.text = text;
    this.root = root;
  }

  static YamlDocument parse(String text) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(true); // as ConfigLoader: the loader names duplicates with their line
    Node root = new Yaml(options).compose(new StringReader(text));
    if (!(root instanceof MappingNode)) throw new IllegalArgumentException("the config is not a mapping of keys");
    return new YamlDocument(text, root);
  }

  String text() {
    return text;
  }

  MappingNode root() {
    return (MappingNode) root;
  }

  /** The value under {@code key}, or null when the mapping has no such key (or it is empty: {@code key:}). */
  static Node value(MappingNode map, String key) {
    for (NodeTuple t : map.getValue()) {
      if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
        Node v = t.getValueNode();
        return isNull(v) ? null : v;
      }
    }
    return null;
  }

  private static NodeTuple tuple(MappingNode map, String key) {
    for (NodeTuple t : map.getValue()) {
      if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) return t;
    }
    return null;
  }

  private static boolean isNull(Node v) {
    return v instanceof ScalarNode s && s.getValue().isEmpty() && s.getTag().getValue().endsWith(":null");
  }

  /** {@code value} (already YAML) under {@code key}: the old value's span replaced, or the key added. */
  YamlDocument set(MappingNode map, String key, String value) {
    unshared(map);
    NodeTuple t = tuple(map, key);
    if (t == null) return insertKey(map, key, value);
    Node old = t.getValueNode();
    if (isNull(old)) { // "key:" with nothing after it: the value goes after the colon
      int at = offset(t.getKeyNode().getEndMark());
      int colon = text.indexOf(':', at);
      return splice(colon + 1, colon + 1, " " + value);
    }
    unshared(old);
    return splice(offset(old.getStartMark()), contentEnd(old), value);
  }

  /**
   * Refuses to edit an anchored node ({@code &defaults}): its text is where the anchor is defined,
   * so an edit there would also change every place that refers to it ({@code *defaults}).
   */
  private static void unshared(Node node) {
    if (node.getAnchor() != null) {
      throw new IllegalStateException("the value is the anchor &" + node.getAnchor() + ", which other places may refer to");
    }
  }

  /**
   * Removes {@code key} and its value, so the setting is back to its default: its whole lines in a
   * block mapping (a comment on the lines above stays), the entry and one comma in a flow one.
   * A block mapping left with no key leaves its own key empty, which the loader reads as absent.
   */
  YamlDocument remove(MappingNode map, String key) {
    unshared(map);
    NodeTuple t = tuple(map, key);
    if (t == null) return this;
    Node k = t.getKeyNode();
    Node v = t.getValueNode();
    unshared(v);
    List<NodeTuple> entries = map.getValue();
    int i = entries.indexOf(t);
    int end = isNull(v) ? offset(k.getEndMark()) : contentEnd(v);
    if (map.getFlowStyle() == FlowStyle.FLOW) {
      if (i + 1 < entries.size()) return splice(offset(k.getStartMark()), offset(entries.get(i + 1).getKeyNode().getStartMark()), "");
      if (i > 0) {
        NodeTuple before = entries.get(i - 1);
        int from = isNull(before.getValueNode()) ? offset(before.getKeyNode().getEndMark()) : contentEnd(before.getValueNode());
        return splice(from, end, "");
      }
      return splice(offset(map.getStartMark()) + 1, offset(map.getEndMark()) - 1, ""); // the only entry: {}
    }
    int start = offset(k.getStartMark());
    for (int j = lineStart(start); j < start; j++) {
      if (text.charAt(j) != ' ') throw new IllegalStateException(key + " shares its line with a list dash or another key");
    }
    return splice(lineStart(start), Math.min(text.length(), lineEnd(end) + 1), "");
  }

  /**
   * The list under {@code key} replaced by these items (each already YAML, one line): a block
   * sequence keeps its place and indentation with one item a line, a flow one stays a flow one,
   * and a missing key is added as a block sequence. Comments between the old items go with them.
   */
  YamlDocument setList(MappingNode map, String key, List<String> items) {
    unshared(map);
    NodeTuple t = tuple(map, key);
    Node old = t == null || isNull(t.getValueNode()) ? null : t.getValueNode();
    String flow = "[" + String.join(", ", items) + "]";
    if (map.getFlowStyle() == FlowStyle.FLOW) return set(map, key, flow);
    if (old instanceof SequenceNode seq && seq.getFlowStyle() != FlowStyle.FLOW && !seq.getValue().isEmpty()) {
      unshared(seq);
      int dash = dashBefore(seq.getValue().get(0));
      String indent = "\n" + " ".repeat(dash - lineStart(dash)) + "- ";
      return splice(dash, contentEnd(seq), items.isEmpty() ? "[]" : "- " + String.join(indent, items));
    }
    if (old != null || items.isEmpty()) return t == null ? this : set(map, key, flow);
    int keyIndent = column(map.getValue().get(0).getKeyNode());
    String block = "\n" + " ".repeat(keyIndent + 2) + "- " + String.join("\n" + " ".repeat(keyIndent + 2) + "- ", items);
    if (t == null) {
      int at = lineEnd(contentEnd(map));
      return splice(at, at, "\n" + " ".repeat(keyIndent) + key + ":" + block);
    }
    int at = lineEnd(offset(t.getKeyNode().getStartMark())); // "firewall:" with nothing under it
    return splice(at, at, block);
  }

  /** Replaces a whole node (a record, say) with new YAML; the text around it stays. */
  YamlDocument replace(Node node, String value) {
    unshared(node);
    return splice(offset(node.getStartMark()), contentEnd(node), value);
  }

  private YamlDocument insertKey(MappingNode map, String key, String value) {
    String entry = key + ": " + value;
    if (map.getFlowStyle() == FlowStyle.FLOW) {
      int close = offset(map.getEndMark()) - 1;
      return spliceBefore(close, '}', entry);
    }
    int indent = column(map.getValue().get(0).getKeyNode());
    return splice(lineEnd(contentEnd(map)), lineEnd(contentEnd(map)), "\n" + " ".repeat(indent) + entry);
  }

  /** Appends an item (already YAML) after the sequence's last one, in the sequence's style. */
  YamlDocument append(SequenceNode seq, String item) {
    unshared(seq);
    if (seq.getFlowStyle() == FlowStyle.FLOW) {
      int close = offset(seq.getEndMark()) - 1;
      return spliceBefore(close, ']', item);
    }
    Node first = seq.getValue().get(0);
    int dash = dashBefore(first);
    int at = lineEnd(contentEnd(seq));
    return splice(at, at, "\n" + " ".repeat(dash - lineStart(dash)) + "- " + item);
  }

  /** A new key of {@code map} holding a one-item block sequence, for a zone without records yet. */
  YamlDocument addSequence(MappingNode map, String key, String item) {
    unshared(map);
    NodeTuple t = tuple(map, key);
    if (t != null && !isNull(t.getValueNode())) throw new IllegalStateException(key + " is already there");
    if (map.getFlowStyle() == FlowStyle.FLOW) return t == null ? insertKey(map, key, "[" + item + "]") : set(map, key, "[" + item + "]");
    int indent = column(map.getValue().get(0).getKeyNode());
    String block = key + ":\n" + " ".repeat(indent + 2) + "- " + item;
    if (t == null) {
      int at = lineEnd(contentEnd(map));
      return splice(at, at, "\n" + " ".repeat(indent) + block);
    }
    // "records:" with nothing under it (its last item was deleted): the item goes under the key's line, comment and all
    int at = lineEnd(offset(t.getKeyNode().getStartMark()));
    return splice(at, at, "\n" + " ".repeat(indent + 2) + "- " + item);
  }

  /**
   * Removes item {@code index}: its whole lines in a block sequence, the item and one comma in a
   * flow one. A block sequence's last item leaves its key with no value, which the loader reads
   * as absent (no records), and {@link #addSequence} fills again.
   */
  YamlDocument remove(SequenceNode seq, int index) {
    List<Node> items = seq.getValue();
    Node item = items.get(index);
    unshared(seq);
    unshared(item);
    if (seq.getFlowStyle() == FlowStyle.FLOW) {
      if (index + 1 < items.size()) return splice(offset(item.getStartMark()), offset(items.get(index + 1).getStartMark()), "");
      if (index > 0) return splice(contentEnd(items.get(index - 1)), contentEnd(item), "");
      return splice(offset(seq.getStartMark()) + 1, offset(seq.getEndMark()) - 1, ""); // the only item: []
    }
    int from = lineStart(dashBefore(item));
    int to = Math.min(text.length(), lineEnd(contentEnd(item)) + 1);
    return splice(from, to, "");
  }

  /** The offset of the dash that starts this block sequence item; only spaces may stand between. */
  private int dashBefore(Node item) {
    int i = offset(item.getStartMark()) - 1;
    while (i >= 0 && text.charAt(i) == ' ') i--;
    if (i < 0 || text.charAt(i) != '-') throw new IllegalStateException("a list item this editor cannot find the dash of");
    for (int j = lineStart(i); j < i; j++) {
      if (text.charAt(j) != ' ') throw new IllegalStateException("a list item that shares its line with another");
    }
    return i;
  }

  private YamlDocument spliceBefore(int close, char bracket, String entry) {
    if (close < 0 || text.charAt(close) != bracket) throw new IllegalStateException("no " + bracket + " where the parser ended the collection");
    int last = close - 1;
    while (last >= 0 && Character.isWhitespace(text.charAt(last))) last--;
    boolean empty = text.charAt(last) == (bracket == '}' ? '{' : '[');
    return splice(last + 1, last + 1, (empty ? "" : ", ") + entry);
  }

  /** Where a node's own text ends: block collections end at their last item's text, not where the parser saw the next token. */
  private int contentEnd(Node node) {
    if (node instanceof MappingNode m && m.getFlowStyle() != FlowStyle.FLOW) {
      NodeTuple last = m.getValue().get(m.getValue().size() - 1);
      return isNull(last.getValueNode()) ? offset(last.getKeyNode().getEndMark()) : contentEnd(last.getValueNode());
    }
    if (node instanceof SequenceNode s && s.getFlowStyle() != FlowStyle.FLOW) {
      return contentEnd(s.getValue().get(s.getValue().size() - 1));
    }
    int end = offset(node.getEndMark());
    if (node instanceof ScalarNode s && (s.getScalarStyle() == ScalarStyle.LITERAL || s.getScalarStyle() == ScalarStyle.FOLDED)) {
      // a block scalar (expression: |) ends where the parser saw the next key: its line breaks are not its text here
      while (end > offset(node.getStartMark()) && Character.isWhitespace(text.charAt(end - 1))) end--;
    }
    return end;
  }

  private int column(Node node) {
    int start = offset(node.getStartMark());
    return start - lineStart(start);
  }

  private int lineStart(int at) {
    return text.lastIndexOf('\n', at - 1) + 1;
  }

  private int lineEnd(int at) {
    int nl = text.indexOf('\n', at);
    return nl < 0 ? text.length() : nl;
  }

  private int offset(Mark mark) {
    return text.offsetByCodePoints(0, mark.getIndex());
  }

  private YamlDocument splice(int from, int to, String with) {
    return parse(text.substring(0, from) + with + text.substring(to));
  }
}
