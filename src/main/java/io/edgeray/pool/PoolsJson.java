package io.edgeray.pool;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

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
        ArrayNode checks = origin.putArray("recent_checks");
        for (CheckResult c : o.recentChecks()) {
          checks.addObject().put("time", c.time().toString()).put("passed", c.passed())
              .put("failure", c.failure() == null ? null : c.failure().name())
              .put("code", c.failure() == null ? null : c.failure().code())
              .put("detail", c.detail()).put("ms", c.millis());
        }
      }
    }
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
