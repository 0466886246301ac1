package io.edgeray.pool;

import java.util.List;

/**
 * What the other nodes of a fleet see of the pools' origins, as they published it. A node that
 * stands alone has {@link #NONE}: only its own checks count, whatever a pool's health_quorum says.
 */
public interface PeerHealth {
  PeerHealth NONE = new PeerHealth() {
    @Override
    public String node() {
      return null;
    }

    @Override
    public String location() {
      return null;
    }

    @Override
    public List<OriginView> others(String pool, String origin) {
      return List.of();
    }

    @Override
    public boolean known() {
      return true;
    }
  };

  /** This node's name in the fleet; null when it stands alone. */
  String node();

  String location();

  /** The other nodes' views of one origin (never this node's own), by node name. */
  List<OriginView> others(String pool, String origin);

  /**
   * False while a node that just joined has not read the others' views yet (at most one lease):
   * until then a health_quorum keeps its origins in, rather than let this node's checks alone
   * take one out and the fleet's views bring it back a moment later.
   */
  boolean known();
}
