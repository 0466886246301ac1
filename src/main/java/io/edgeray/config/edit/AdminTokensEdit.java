package io.edgeray.config.edit;

import io.edgeray.config.AdminToken;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Adds an admin API token (its hash) to the {@code admin_tokens:} list of a fleet's shared YAML, as
 * {@code edgeray token create} does on a fleet node; the rest of the text stays as it was.
 */
public final class AdminTokensEdit {
  private AdminTokensEdit() {}

  /** The text with the token added; IllegalArgumentException when the text is laid out in a way this cannot edit. */
  public static String add(String sharedYaml, AdminToken token) {
    String item = "{ name: " + token.name() + ", scope: " + token.scope().word() + ", hash: \"" + token.hash() + "\" }";
    try {
      YamlDocument doc = YamlDocument.parse(sharedYaml);
      Node list = YamlDocument.value(doc.root(), "admin_tokens");
      if (list == null) return doc.addSequence(doc.root(), "admin_tokens", item).text();
      if (!(list instanceof SequenceNode seq)) throw new IllegalArgumentException("admin_tokens is not a list");
      return doc.append(seq, item).text();
    } catch (IllegalStateException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }
}
