package io.edgeray.fleet;

import io.edgeray.config.ConfigException;
import io.edgeray.config.EdgeConfig;
import io.edgeray.config.load.ConfigLoader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A fleet node's config: its own file, with the shared keys taken from the fleet's part. Read
 * through {@link ConfigLoader}, so it is checked exactly as {@code check-config} checks a file; a
 * problem in the fleet's part names its line there ({@code etcd:/edgeray/config@42:7: ...}).
 */
public final class FleetConfigLoader {
  private FleetConfigLoader() {}

  /**
   * @param sharedName how an error in the fleet's part names its source
   * @param bound the listeners as bound now (a running node), or null to check them as written
   */
  public static EdgeConfig load(Path nodeFile, SharedConfig shared, String sharedName,
      Map<String, InetSocketAddress> bound) throws ConfigException {
    SharedYaml.NodeKey own = SharedYaml.nodeKey(shared.yaml());
    if (own != null) {
      throw new ConfigException(sharedName, own.line(), own.key(), own.key() + " is each node's own, not the fleet's: change it"
          + " in the node's file (the fleet's keys are " + String.join(", ", new java.util.TreeSet<>(
              io.edgeray.config.FleetSettings.SHARED_KEYS)) + ")");
    }
    String nodeText;
    try {
      nodeText = Files.readString(nodeFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw ConfigException.unreadable(nodeFile.toAbsolutePath().normalize().toString(), String.valueOf(e.getMessage()));
    }
    SharedYaml.Composed c = SharedYaml.compose(nodeText, shared.yaml());
    try {
      EdgeConfig config = ConfigLoader.parse(nodeFile.toString(), c.text(), bound);
      if (config.fleet() == null) {
        throw new ConfigException(nodeFile.toString(), 1, "fleet", "the node file has no fleet section any more; restart the node to leave the fleet");
      }
      return config;
    } catch (ConfigException e) {
      if (e.line() <= c.sharedFrom()) throw e;
      throw new ConfigException(sharedName, e.line() - c.sharedFrom(), e.key(), e.problem());
    }
  }
}
