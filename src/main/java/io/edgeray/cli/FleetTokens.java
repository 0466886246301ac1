package io.edgeray.cli;

import io.edgeray.config.AdminToken;
import io.edgeray.config.ConfigException;
import io.edgeray.config.EdgeConfig;
import io.edgeray.config.FleetSettings;
import io.edgeray.config.edit.AdminTokensEdit;
import io.edgeray.fleet.FleetConfigLoader;
import io.edgeray.fleet.FleetConfigStore;
import io.edgeray.fleet.SharedConfig;
import java.nio.file.Path;

/**
 * {@code edgeray token create} on a fleet node: the token's hash goes into the fleet's
 * {@code admin_tokens} on etcd, checked as every node will load it and written only over the
 * revision it was added to (tried again a few times when another change came first).
 */
final class FleetTokens {
  private static final int TRIES = 5;

  private FleetTokens() {}

  static int add(Path nodeFile, FleetSettings fleet, AdminToken token, String secret) {
    try (FleetConfigStore store = new FleetConfigStore(fleet.etcd(), fleet.prefix())) {
      for (int i = 0; ; i++) {
        SharedConfig now = store.read();
        if (now == null) {
          System.err.println("edgeray token create: nothing under " + store.key() + " yet; import the fleet's config first"
              + " (edgeray fleet import FILE)");
          return 1;
        }
        String next;
        try {
          EdgeConfig before = FleetConfigLoader.load(nodeFile, now, "etcd:" + store.key() + "@" + now.revision(), null);
          if (before.admin() != null && before.admin().tokens().stream().anyMatch(t -> t.name().equals(token.name()))) {
            System.err.println("edgeray token create: the fleet already has a token named " + token.name() + "; pick another name");
            return 1;
          }
          next = AdminTokensEdit.add(now.yaml(), token);
          FleetConfigLoader.load(nodeFile, new SharedConfig(next, 0), "the fleet config with the new token", null);
        } catch (ConfigException | IllegalArgumentException e) {
          System.err.println("edgeray token create: the fleet config cannot take the token: " + e.getMessage());
          return 1;
        }
        try {
          long revision = store.write(next, now.revision());
          System.out.println(secret);
          System.out.println();
          System.out.println("This is the only time the token is shown. Its hash is in the fleet's admin_tokens on etcd ("
              + store.key() + ", revision " + revision + "):");
          System.out.println("every node of the fleet takes it within a second. Call the API with:");
          System.out.println();
          System.out.println("    curl -H \"Authorization: Bearer " + secret + "\" http://127.0.0.1:9090/api/pools");
          return 0;
        } catch (FleetConfigStore.Changed e) {
          if (i + 1 == TRIES) {
            System.err.println("edgeray token create: " + e.getMessage());
            return 1;
          }
        }
      }
    } catch (FleetConfigStore.Unreachable e) {
      System.err.println("edgeray token create: " + e.getMessage() + "; no token was made");
      return FleetCommand.UNREACHABLE;
    }
  }
}
