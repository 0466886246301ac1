package io.edgeray.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeray.cache.CacheReport;
import io.edgeray.cache.HttpCache;
import io.edgeray.config.EdgeConfig;
import io.edgeray.config.Zone;
import io.vertx.ext.web.Router;
import java.util.function.Supplier;

/**
 * {@code GET /api/zones/{zone}/cache} (read scope): the zone's hit ratio, requests by cache
 * status, bytes served from the cache, and per tier the zone's objects and bytes beside the node's
 * totals, bound and evictions. {@link #report} is the route's logic without the HTTP layer.
 */
public final class CacheReportModule implements AdminModule {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpCache cache;
  private final Supplier<EdgeConfig> config;

  public CacheReportModule(HttpCache cache, Supplier<EdgeConfig> config) {
    this.cache = cache;
    this.config = config;
  }

  @Override
  public void mount(Router router, AdminAccess access) {
    router.get("/api/zones/:zone/cache").handler(access.read()).handler(ctx -> {
      ObjectNode report = report(ctx.pathParam("zone"));
      if (report == null) AdminErrors.fail(ctx, 404, "no_such_zone", "no zone named " + ctx.pathParam("zone"), null);
      else AdminJson.send(ctx, 200, report);
    });
  }

  /** The zone's report as JSON, or null when there is no such zone. */
  public ObjectNode report(String zoneName) {
    for (Zone z : config.get().zones()) if (z.name().equalsIgnoreCase(zoneName)) return json(cache.report(z.name()));
    return null;
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
}
