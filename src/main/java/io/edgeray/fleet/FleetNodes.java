package io.edgeray.fleet;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /api/fleet/nodes}, without the HTTP: every registered node, the fleet's current
 * config revision, and which nodes serve an older one. Listed from etcd on each call, so a node
 * whose lease ran out is gone.
 */
public final class FleetNodes {
  /** One row of the list. {@code seenSecondsAgo} from this node's clock. */
  public record Row(String name, String location, String adminUrl, String version, long revision, boolean behind,
      String lastSeen, long seenSecondsAgo, String started, String configProblem) {}

  /** The whole answer. */
  public record Listing(String prefix, long configRevision, List<Row> nodes) {}

  /** etcd did not answer: the route says so (the node itself keeps serving). */
  public static final class Unavailable extends Exception {
    private static final long serialVersionUID = 1L;

    Unavailable(String message) {
      super(message);
    }
  }

  private final Etcd etcd;
  private final String prefix;
  private final Clock clock;

  FleetNodes(Etcd etcd, String prefix, Clock clock) {
    this.etcd = etcd;
    this.prefix = prefix;
    this.clock = clock;
  }

  /** Blocks for at most etcd's deadline: call it off any event loop. */
  public Listing list() throws Unavailable {
    try {
      long configRevision = etcd.get(prefix + "/config").modRevision();
      List<Row> rows = new ArrayList<>();
      for (Etcd.Entry e : etcd.list(prefix + "/nodes/")) {
        NodeInfo n;
        try {
          n = NodeRegistration.JSON.readValue(e.value(), NodeInfo.class);
        } catch (java.io.IOException notOurs) {
          continue; // a key someone else wrote under our prefix
        }
        long ago = -1;
        try {
          ago = Math.max(0, Duration.between(Instant.parse(n.seen()), clock.instant()).toSeconds());
        } catch (RuntimeException unparsable) {
          // left at -1
        }
        rows.add(new Row(n.name(), n.location(), n.adminUrl(), n.version(), n.revision(), n.revision() < configRevision,
            n.seen(), ago, n.started(), n.configProblem()));
      }
      return new Listing(prefix, configRevision, List.copyOf(rows));
    } catch (Etcd.Unreachable e) {
      throw new Unavailable(e.getMessage());
    }
  }
}
