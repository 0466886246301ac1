package io.edgeray.fleet;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/** The fleet's config on etcd, for {@code edgeray fleet import} and {@code export}: one key, {@code PREFIX/config}. */
public final class FleetConfigStore implements AutoCloseable {
  /** etcd did not answer; the message names the endpoint and what went wrong. */
  public static final class Unreachable extends Exception {
    private static final long serialVersionUID = 1L;

    Unreachable(String message) {
      super(message);
    }
  }

  /** The config on etcd is no longer at the revision a change was based on; nothing was written. */
  public static final class Changed extends Exception {
    private static final long serialVersionUID = 1L;
    private final long current;

    Changed(long basedOn, long current) {
      super("the fleet config changed at revision " + current + " since this change was based on it (revision " + basedOn
          + "); nothing was changed: reload and try again");
      this.current = current;
    }

    /** The revision the config is at now. */
    public long current() {
      return current;
    }
  }

  private final Etcd etcd;
  private final String key;
  private final String prefix;

  public FleetConfigStore(List<URI> endpoints, String prefix) {
    this(new Etcd(endpoints, Duration.ofSeconds(5)), prefix);
  }

  FleetConfigStore(Etcd etcd, String prefix) {
    this.etcd = etcd;
    this.key = prefix + "/config";
    this.prefix = prefix;
  }

  public String key() {
    return key;
  }

  /** Writes the shared part of a config (YAML text of the shared keys); returns the new revision. */
  public long write(String sharedYaml) throws Unreachable {
    try {
      return etcd.put(key, sharedYaml, 0);
    } catch (Etcd.Unreachable e) {
      throw new Unreachable(e.getMessage());
    }
  }

  /**
   * Writes the shared part only if the config is still at {@code basedOn} (the mod revision the
   * change was made on; 0 for nothing imported yet), as one etcd transaction: of two changes made
   * on the same revision, one is written and the other is {@link Changed}, never overwritten.
   */
  public long write(String sharedYaml, long basedOn) throws Unreachable, Changed {
    try {
      Etcd.Swap swap = etcd.putIfUnchanged(key, sharedYaml, basedOn, 0);
      if (!swap.written()) throw new Changed(basedOn, swap.current());
      return swap.revision();
    } catch (Etcd.Unreachable e) {
      throw new Unreachable(e.getMessage());
    }
  }

  /**
   * Creates the node-to-node credential ({@link FleetSecret}) unless the fleet has one; true when
   * this call created it.
   */
  public boolean ensureSecret() throws Unreachable {
    try {
      String key = FleetSecret.key(prefix);
      boolean existed = etcd.get(key).value() != null;
      FleetSecret.ensure(etcd, key);
      return !existed;
    } catch (Etcd.Unreachable e) {
      throw new Unreachable(e.getMessage());
    }
  }

  /** What etcd holds, or null when nothing was imported yet. */
  public SharedConfig read() throws Unreachable {
    try {
      Etcd.Entry e = etcd.get(key);
      return e.value() == null ? null : new SharedConfig(e.value(), e.modRevision());
    } catch (Etcd.Unreachable e) {
      throw new Unreachable(e.getMessage());
    }
  }

  /** The shared keys of a whole config file's text, as they are written to etcd. */
  public static String sharedPart(String configText) {
    return SharedYaml.extract(configText);
  }

  @Override
  public void close() {
    etcd.close();
  }
}
