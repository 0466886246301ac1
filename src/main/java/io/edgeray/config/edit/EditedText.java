package io.edgeray.config.edit;

import io.edgeray.config.ConfigException;
import io.edgeray.config.EdgeConfig;
import java.util.concurrent.CompletionStage;

/**
 * Where the YAML an API change edits lives, and how a changed text is checked and stored: the
 * owner's config file on a node that stands alone, the fleet's shared part on etcd on a fleet node.
 * {@link ConfigEditor} does the rest the same way for both: splice, load, check, store.
 */
public interface EditedText {
  /**
   * The text an edit is based on, the config it loaded to, and its version (the file's hash, the
   * etcd revision), so that {@link #write} stores the change only over that same version.
   */
  record Base(String text, EdgeConfig config, String version) {}

  /** The text as it stands; refuses (409, say) when it cannot be edited safely now. */
  Base read() throws EditRefused;

  /** Loads a changed text exactly as the node would load it: a problem names its key path. */
  EdgeConfig load(String text) throws ConfigException;

  /** The answer to a change asked for on version {@code expected} (its {@code If-Match}) when the text is at {@code base} now. */
  default EditRefused changedSince(Base base, String expected) {
    return new EditRefused(409, "config_changed", "the config changed since this change was based on it; nothing was"
        + " changed: reload and try again", null);
  }

  /**
   * Stores the changed text over {@code base} and puts {@code next} in service, or refuses with
   * nothing changed. What it returns completes when the change is in service on this node: at once
   * for a file; for the fleet's text once this node applied what it wrote, or exceptionally with the
   * {@link EditRefused} to answer when this node refused it (the text was stored all the same).
   */
  CompletionStage<Void> write(Base base, String text, EdgeConfig next) throws EditRefused;
}
