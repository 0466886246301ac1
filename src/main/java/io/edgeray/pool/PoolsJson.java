package io.edgeray.pool;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeray.failure.SeenFrom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The admin API's view of the pools: each pool's status, its origins' status, load and recent checks. */
public final class PoolsJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PoolsJson() {}

  public static String of(Pools pools) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode list = root.putArray("pools");
    for (Pool p : pools.all()) {
      ObjectNode pool = list.addObject();
      pool.put("name", p.name());
      pool.put("state", p.status().word());
      pool.put("steering", p.spec().steering().configName());
      pool.put("health_threshold", p.spec().healthThreshold());
      pool.put("health_quorum", p.spec().healthQuorum() == 0 ? null : p.spec().healthQuorum());
      pool.put("monitor", p.spec().monitor() == null ? null : p.spec().monitor().type().name().toLowerCase(java.util.Locale.ROOT));
      ArrayNode origins = pool.putArray("origins");
      for (OriginState o : p.origins()) {
        ObjectNode origin = origins.addObject();
        origin.put("name", o.origin().name());
        origin.put("address", o.origin().hostPort());
        origin.put("weight", o.origin().weight());
        origin.put("enabled", o.origin().enabled());
        origin.put("state", o.status().word());
        Instant until = o.ejectedUntil();
        origin.put("ejected_until", until == null ? null : until.toString());
        origin.put("outstanding", o.outstanding());
        origin.put("connections", o.connections().open());
        origin.put("queued", o.connections().waiting());
        views(origin, pools.peers(), p, o);
        ArrayNode checks = origin.putArray("recent_checks");
        for (CheckResult c : o.recentChecks()) {
          checks.addObject().put("time", c.time().toString()).put("passed", c.passed())
              .put("failure", c.failure() == null ? null : c.failure().name())
              .put("code", c.failure() == null ? null : c.failure().code())
              .put("detail", c.detail()).put("ms", c.millis());
        }
      }
    }
    return text(root);
  }

  /** Every node's view of the origin, this one's first, and the sentence when they disagree; empty standing alone. */
  private static void views(ObjectNode origin, PeerHealth peers, Pool p, OriginState o) {
    ArrayNode list = origin.putArray("views");
    if (peers.node() == null) {
      origin.putNull("disagreement");
      return;
    }
    List<OriginView> all = new ArrayList<>();
    all.add(OriginView.own(peers.node(), peers.location(), o, Instant.now()));
    all.addAll(peers.others(p.name(), o.origin().name()));
    for (OriginView v : all) {
      list.addObject().put("node", v.node()).put("location", v.location()).put("state", v.state())
          .put("last_check", v.lastCheck() == null ? null : v.lastCheck().toString())
          .put("passed", v.passed())
          .put("failure", v.failure() == null ? null : v.failure().name())
          .put("code", v.failure() == null ? null : v.failure().code())
          .put("detail", v.detail())
          .put("at", v.at() == null ? null : v.at().toString());
    }
    origin.put("disagreement", SeenFrom.disagreement(all.stream().filter(OriginView::reporting).map(OriginView::sight).toList()));
  }

  private static String text(ObjectNode root) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
