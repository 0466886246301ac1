package io.edgeray.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeray.cache.CacheReport;
import io.edgeray.cache.HttpCache;
import io.edgeray.config.EdgeConfig;
import io.edgeray.config.Zone;
import java.util.function.Supplier;

/**
 * {@code GET /api/zones/{zone}/cache}: the zone's hit ratio, requests by cache status, bytes
 * served from the cache, and per tier the zone's objects and bytes beside the node's totals,
 * bound and evictions. {@link #answer} is the route's logic without the HTTP layer.
 */
public final class CacheReportRoute implements PathRoute {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpCache cache;
  private final Supplier<EdgeConfig> config;

  public CacheReportRoute(HttpCache cache, Supplier<EdgeConfig> config) {
    this.cache = cache;
    this.config = config;
  }

  /** A status and a JSON body. */
  public record Answer(int status, ObjectNode body) {}

  public Answer answer(String zoneName) {
    Zone zone = null;
    for (Zone z : config.get().zones()) if (z.name().equalsIgnoreCase(zoneName)) zone = z;
    if (zone == null) return new Answer(404, error("not_found", "no zone named " + zoneName));
    return new Answer(200, json(cache.report(zone.name())));
  }

  @Override
  public AdminResponse handle(String method, String rest, byte[] body) {
    if (!rest.endsWith("/cache")) return null;
    if (!method.equals("GET")) return AdminResponse.json(405, error("method_not_allowed", "use GET").toString());
    Answer a = answer(rest.substring(0, rest.length() - "/cache".length()));
    return AdminResponse.json(a.status(), a.body().toString()).withHeader("Cache-Control", "no-store");
  }

  static ObjectNode json(CacheReport r) {
    ObjectNode o = JSON.createObjectNode();
    o.put("zone", r.zone());
    o.put("hit_ratio", Math.round(r.hitRatio() * 10_000) / 10_000.0);
    ObjectNode requests = o.putObject("requests");
    r.requests().forEach(requests::put);
    o.put("served_bytes", r.servedBytes());
    ObjectNode tiers = o.putObject("tiers");
    tier(tiers, "memory", r.memory());
    if (r.disk() == null) tiers.putNull("disk");
    else tier(tiers, "disk", r.disk());
    return o;
  }

  private static void tier(ObjectNode tiers, String name, CacheReport.Tier t) {
    tiers.putObject(name)
        .put("zone_objects", t.zoneObjects())
        .put("zone_bytes", t.zoneBytes())
        .put("objects", t.objects())
        .put("bytes", t.bytes())
        .put("capacity", t.capacity())
        .put("evictions", t.evictions());
  }

  private static ObjectNode error(String code, String message) {
    ObjectNode o = JSON.createObjectNode();
    o.putObject("error").put("code", code).put("message", message).putNull("field");
    return o;
  }
}
