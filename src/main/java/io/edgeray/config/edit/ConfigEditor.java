package io.edgeray.config.edit;

import io.edgeray.config.ConfigException;
import io.edgeray.config.EdgeConfig;
import io.edgeray.config.load.ConfigLoader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The one writer of the owner's config file, and the one reader that applies it. A change made
 * through the API is edited into the YAML itself rather than kept in a state file beside it:
 * then the file the owner reads, backs up and puts under version control is the whole truth,
 * {@code check-config} and a restart see the change with nothing else to know about, and there
 * is no second source to merge or to forget when copying the config to another node.
 *
 * <p>Every edit runs, one at a time, as: the file still has the text the edge last loaded (its
 * SHA-256, taken at start and at every reload; otherwise 409 {@code config_changed_on_disk} and
 * nothing happens, so a hand edit is never overwritten), the edit spliced into that text, the
 * result loaded by {@link ConfigLoader} exactly as a reload would load the file (a problem is a
 * 422 naming its key path), written crash-safely by {@link AtomicFile}, then applied through the
 * reload path: rays already running finish on the config they started with.
 */
public final class ConfigEditor {
  private final Path file;
  private final Supplier<Map<String, InetSocketAddress>> listeners;
  private final Supplier<EdgeConfig> running;
  private final Consumer<EdgeConfig> apply;
  private final AtomicFile writer;
  private final Object lock = new Object(); // edits and reloads, one at a time
  private String loadedHash;

  ConfigEditor(Path file, Supplier<Map<String, InetSocketAddress>> listeners, Supplier<EdgeConfig> running,
      Consumer<EdgeConfig> apply, AtomicFile writer) {
    this.file = file;
    this.listeners = listeners;
    this.running = running;
    this.apply = apply;
    this.writer = writer;
    this.loadedHash = hashOfFile();
  }

  /**
   * An editor of the file the running config was just loaded from (its hash is taken now).
   *
   * @param listeners the listeners as bound, by config key: origins are checked against them, as on reload
   * @param apply swaps a new config in, as a reload does
   */
  public static ConfigEditor of(Path file, Supplier<Map<String, InetSocketAddress>> listeners,
      Supplier<EdgeConfig> running, Consumer<EdgeConfig> apply) {
    return new ConfigEditor(file, listeners, running, apply, new AtomicFile());
  }

  /** Reads the file again and applies it (SIGHUP, {@code POST /reload}); a bad file changes nothing. */
  public EdgeConfig reload() throws ConfigException {
    synchronized (lock) {
      String text = ConfigLoader.text(file);
      EdgeConfig next = ConfigLoader.parse(file.toString(), text, listeners.get());
      apply.accept(next);
      loadedHash = hash(text);
      return next;
    }
  }

  /** Makes one change, or refuses it with nothing written and nothing applied. */
  EdgeConfig edit(ConfigEdit edit) throws EditRefused {
    synchronized (lock) {
      String text;
      try {
        text = ConfigLoader.text(file);
      } catch (ConfigException e) {
        throw new EditRefused(500, "config_unreadable", e.getMessage(), null);
      }
      if (!hash(text).equals(loadedHash)) {
        throw EditRefused.conflict("config_changed_on_disk", file + " was changed on disk since the edge loaded it;"
            + " nothing was changed. Reload it (POST /reload or SIGHUP), check the result, then make the change again");
      }
      YamlDocument after;
      try {
        after = edit.apply(YamlDocument.parse(text), running.get());
      } catch (IllegalStateException | IllegalArgumentException | YAMLException e) {
        throw EditRefused.conflict("config_layout", "this part of " + file + " is written in a way the editor does not"
            + " change safely (" + e.getMessage() + "); nothing was changed: edit it by hand");
      }
      EdgeConfig next;
      try {
        next = ConfigLoader.parse(file.toString(), after.text(), listeners.get());
      } catch (ConfigException e) {
        throw EditRefused.invalid(e.key().isEmpty() ? null : e.key(), e.problem());
      }
      edit.check(running.get(), next);
      try {
        writer.write(file, after.text());
      } catch (IOException e) {
        throw new EditRefused(500, "config_not_written", "could not write " + file + " (" + e.getMessage()
            + "); nothing was changed", null);
      }
      loadedHash = hash(after.text());
      apply.accept(next);
      return next;
    }
  }

  private String hashOfFile() {
    try {
      return hash(ConfigLoader.text(file));
    } catch (ConfigException e) {
      return "unreadable"; // every edit will answer 409 until a reload reads the file
    }
  }

  private static String hash(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
