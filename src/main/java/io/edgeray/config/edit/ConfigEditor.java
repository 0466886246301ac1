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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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
 *
 * <p>On a fleet node the edited text is the fleet's part on etcd instead ({@link EditedText}): the
 * same splice and load, stored by a compare-and-swap on the revision the change was based on.
 */
public final class ConfigEditor {
  private final EditedText target;
  private final FileText file; // null when the edited text is not a file
  private final Object lock = new Object(); // edits and reloads, one at a time

  private ConfigEditor(EditedText target, FileText file) {
    this.target = file != null ? file : target;
    this.file = file;
  }

  ConfigEditor(Path file, Supplier<Map<String, InetSocketAddress>> listeners, Supplier<EdgeConfig> running,
      Consumer<EdgeConfig> apply, AtomicFile writer) {
    this(null, new FileText(file, listeners, running, apply, writer));
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

  /** An editor of text kept elsewhere than in a file (a fleet's shared config); it has no {@link #reload}. */
  public static ConfigEditor of(EditedText target) {
    return new ConfigEditor(target, null);
  }

  /** Reads the file again and applies it (SIGHUP, {@code POST /reload}); a bad file changes nothing. */
  public EdgeConfig reload() throws ConfigException {
    if (file == null) throw new IllegalStateException("this editor's text is not a file");
    synchronized (lock) {
      return file.reload();
    }
  }

  /** Makes one change, or refuses it with nothing written and nothing applied. */
  EdgeConfig edit(ConfigEdit edit) throws EditRefused {
    return edit(edit, null);
  }

  /** Refuses (409) when the text is no longer at version {@code expected}: checked before anything else is looked up. */
  void expect(String expected) throws EditRefused {
    synchronized (lock) {
      EditedText.Base base = target.read();
      if (!expected.equals(base.version())) throw target.changedSince(base, expected);
    }
  }

  /**
   * The version changes are made on now (the file's hash as loaded, the fleet revision served),
   * for an {@code ETag} a caller sends back as {@code If-Match}; null when the text cannot be edited now.
   */
  String version() {
    synchronized (lock) {
      try {
        return target.read().version();
      } catch (EditRefused e) {
        return null;
      }
    }
  }

  /** As {@link #edit(ConfigEdit)}, refused unless the text is still at version {@code expected} (null: whatever it is at). */
  EdgeConfig edit(ConfigEdit edit, String expected) throws EditRefused {
    return change(edit, expected).config();
  }

  /**
   * A change made: the config it loaded to, and when it is in service on this node ({@link
   * EditedText#write}); the edits that follow do not wait for that.
   */
  record Made(EdgeConfig config, CompletionStage<Void> live) {}

  /** As {@link #edit(ConfigEdit, String)}, with when the change is in service here. */
  Made change(ConfigEdit edit, String expected) throws EditRefused {
    synchronized (lock) {
      EditedText.Base base = target.read();
      if (expected != null && !expected.equals(base.version())) throw target.changedSince(base, expected);
      YamlDocument after;
      try {
        after = edit.apply(YamlDocument.parse(base.text()), base.config());
      } catch (IllegalStateException | IllegalArgumentException | YAMLException e) {
        throw EditRefused.conflict("config_layout", "this part of " + where(base) + " is written in a way the editor does not"
            + " change safely (" + e.getMessage() + "); nothing was changed: edit it by hand");
      }
      EdgeConfig next;
      try {
        next = target.load(after.text());
      } catch (ConfigException e) {
        throw EditRefused.invalid(e.key().isEmpty() ? null : e.key(), e.problem());
      }
      edit.check(base.config(), next);
      return new Made(next, target.write(base, after.text(), next));
    }
  }

  private String where(EditedText.Base base) {
    return file != null ? file.path.toString() : "the fleet config (revision " + base.version() + ")";
  }

  /** The owner's file: guarded by the hash of the text last loaded, so a hand edit is never overwritten. */
  private static final class FileText implements EditedText {
    private final Path path;
    private final Supplier<Map<String, InetSocketAddress>> listeners;
    private final Supplier<EdgeConfig> running;
    private final Consumer<EdgeConfig> apply;
    private final AtomicFile writer;
    private String loadedHash;

    FileText(Path path, Supplier<Map<String, InetSocketAddress>> listeners, Supplier<EdgeConfig> running,
        Consumer<EdgeConfig> apply, AtomicFile writer) {
      this.path = path;
      this.listeners = listeners;
      this.running = running;
      this.apply = apply;
      this.writer = writer;
      this.loadedHash = hashOfFile();
    }

    EdgeConfig reload() throws ConfigException {
      String text = ConfigLoader.text(path);
      EdgeConfig next = ConfigLoader.parse(path.toString(), text, listeners.get());
      apply.accept(next);
      loadedHash = hash(text);
      return next;
    }

    @Override
    public Base read() throws EditRefused {
      String text;
      try {
        text = ConfigLoader.text(path);
      } catch (ConfigException e) {
        throw new EditRefused(500, "config_unreadable", e.getMessage(), null);
      }
      if (!hash(text).equals(loadedHash)) {
        throw EditRefused.conflict("config_changed_on_disk", path + " was changed on disk since the edge loaded it;"
            + " nothing was changed. Reload it (POST /reload or SIGHUP), check the result, then make the change again");
      }
      return new Base(text, running.get(), loadedHash);
    }

    @Override
    public EdgeConfig load(String text) throws ConfigException {
      return ConfigLoader.parse(path.toString(), text, listeners.get());
    }

    @Override
    public CompletionStage<Void> write(Base base, String text, EdgeConfig next) throws EditRefused {
      try {
        writer.write(path, text);
      } catch (IOException e) {
        throw new EditRefused(500, "config_not_written", "could not write " + path + " (" + e.getMessage()
            + "); nothing was changed", null);
      }
      loadedHash = hash(text);
      apply.accept(next);
      return CompletableFuture.completedFuture(null);
    }

    private String hashOfFile() {
      try {
        return hash(ConfigLoader.text(path));
      } catch (ConfigException e) {
        return "unreadable"; // every edit will answer 409 until a reload reads the file
      }
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
