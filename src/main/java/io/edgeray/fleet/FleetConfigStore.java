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

  private final Etcd etcd;
  private final String key;
  private final String prefix;

  public FleetConfigStore(List<URI> endpoints, String prefix) {
    this.etcd = new Etcd(endpoints, Duration.ofSeconds(5));
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
