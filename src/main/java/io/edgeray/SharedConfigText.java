package io.edgeray;

import io.edgeray.config.ConfigException;
import io.edgeray.config.EdgeConfig;
import io.edgeray.config.edit.EditRefused;
import io.edgeray.config.edit.EditedText;
import io.edgeray.fleet.Fleet;
import io.edgeray.fleet.FleetConfigLoader;
import io.edgeray.fleet.FleetConfigStore;
import io.edgeray.fleet.SharedConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * What the admin API edits on a fleet node: the fleet's part of the config as this node serves it
 * (the text and its etcd revision), checked with the node's own file as every node will load it,
 * and written to etcd only if the fleet's config is still at that revision. The change then
 * reaches every node, this one included, through the watch; the answer waits (without holding a
 * thread) for this node to apply it, and says so when this node refused it.
 */
final class SharedConfigText implements EditedText {
  private final Path nodeFile;
  private final Supplier<Base> served; // the fleet's part served and the config made of it, read together; null before the first
  private final Supplier<Fleet> fleet;
  private final Supplier<Map<String, InetSocketAddress>> listeners;
  // the last change written through this node: the next one is based on it even before the watch
  // brings it back, so two changes in a row through this node do not collide with each other
  private Base written;

  SharedConfigText(Path nodeFile, Supplier<Base> served, Supplier<Fleet> fleet, Supplier<Map<String, InetSocketAddress>> listeners) {
    this.nodeFile = nodeFile;
    this.served = served;
    this.fleet = fleet;
    this.listeners = listeners;
  }

  static Base base(SharedConfig shared, EdgeConfig config) {
    return shared == null ? null : new Base(shared.yaml(), config, Long.toString(shared.revision()));
  }

  @Override
  public Base read() throws EditRefused {
    Base base = fleet.get() == null ? null : served.get();
    if (base == null) {
      throw new EditRefused(503, "no_fleet_config", "this node has no fleet config from etcd yet, so there is nothing to"
          + " base a change on; nothing was changed: try again once it is in the fleet (GET /api/fleet/nodes)", null);
    }
    synchronized (this) {
      if (written != null && Long.parseLong(written.version()) > Long.parseLong(base.version())) return written;
    }
    return base;
  }

  @Override
  public EdgeConfig load(String text) throws ConfigException {
    return FleetConfigLoader.load(nodeFile, new SharedConfig(text, 0), "the changed fleet config", listeners.get());
  }

  @Override
  public EditRefused changedSince(Base base, String expected) {
    return new EditRefused(409, "fleet_config_changed", "the fleet config changed at revision " + base.version()
        + " since this change was based on it (revision " + expected + "); nothing was changed: reload and try again", null);
  }

  @Override
  public CompletionStage<Void> write(Base base, String text, EdgeConfig next) throws EditRefused {
    Fleet f = fleet.get();
    long revision;
    try {
      revision = f.change(text, Long.parseLong(base.version()));
    } catch (FleetConfigStore.Changed e) {
      throw new EditRefused(409, "fleet_config_changed", e.getMessage(), null);
    } catch (FleetConfigStore.Unreachable e) {
      throw new EditRefused(503, "etcd_unreachable", "the fleet config lives on etcd, which does not answer (" + e.getMessage()
          + "); nothing was changed", null);
    }
    synchronized (this) {
      written = new Base(text, next, Long.toString(revision));
    }
    return f.applied(revision).thenAccept(o -> {
      if (o.here() == Fleet.ChangeOutcome.Here.REFUSED) throw new java.util.concurrent.CompletionException(refusedHere(o, f.revision()));
    });
  }

  /** The change is on etcd, and every other node applies it: the answer must not say "nothing was changed". */
  private static EditRefused refusedHere(Fleet.ChangeOutcome o, long served) {
    return new EditRefused(422, "refused_on_this_node", "the fleet has the change (revision " + o.revision()
        + " on etcd, which the other nodes apply), but this node refused it and kept its old config (revision " + served
        + "): " + o.problem(), o.key());
  }
}
