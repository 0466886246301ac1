package io.edgeray.admin;

import io.edgeray.analytics.Analytics;
import io.edgeray.analytics.AnalyticsQuery;
import io.edgeray.analytics.ApiError;
import io.edgeray.analytics.RayIndex;
import io.edgeray.config.EdgeConfig;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code GET /api/analytics}, {@code GET /api/errors} and {@code GET /api/rays/:ray}: the HTTP
 * side only; what they answer is worked out by {@link Analytics}, {@link AnalyticsQuery} and
 * {@link RayIndex}. The analytics answer is made in memory on the admin's event loop (a day of a
 * zone takes about a millisecond); ray and error lines are read from the access log on a worker.
 */
public final class AnalyticsModule implements AdminModule {
  private static final int ERRORS_DEFAULT = 50;

  private final Analytics analytics;
  private final RayIndex rays; // null when the access log goes to stdout: no ray is retained
  private final Supplier<EdgeConfig> config;

  public AnalyticsModule(Analytics analytics, RayIndex rays, Supplier<EdgeConfig> config) {
    this.analytics = analytics;
    this.rays = rays;
    this.config = config;
  }

  @Override
  public void mount(Router router, AdminAccess access) {
    router.get("/api/analytics").handler(access.read()).handler(ctx -> {
      try {
        AnalyticsQuery q = AnalyticsQuery.parse(params(ctx), config.get(), analytics.clock().instant());
        sendJson(ctx, analytics.json(q));
      } catch (ApiError e) {
        fail(ctx, e);
      }
    });
    router.get("/api/errors").handler(access.read()).handler(ctx -> {
      String zone;
      int limit;
      try {
        zone = zone(params(ctx));
        limit = limit(params(ctx));
      } catch (ApiError e) {
        fail(ctx, e);
        return;
      }
      ctx.vertx().executeBlocking(() -> rays == null ? List.<String>of() : rays.errors(zone, limit))
          .onSuccess(lines -> sendJson(ctx, ("[" + String.join(",", lines) + "]").getBytes(java.nio.charset.StandardCharsets.UTF_8)))
          .onFailure(ctx::fail);
    });
    router.get("/api/rays/:ray").handler(access.read()).handler(ctx -> {
      String ray = ctx.pathParam("ray");
      ctx.vertx().executeBlocking(() -> rays == null ? Optional.<String>empty() : rays.line(ray))
          .onSuccess(line -> {
            if (line.isPresent()) {
              sendJson(ctx, line.get().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } else {
              AdminErrors.fail(ctx, 404, "ray_not_found", "ray " + ray
                  + " is not in the retained access log (never seen by this edge, or rotated away)", "ray");
            }
          })
          .onFailure(ctx::fail);
    });
  }

  private String zone(Map<String, List<String>> p) {
    if (!p.containsKey("zone")) return null;
    String asked = p.get("zone").get(0);
    return config.get().zones().stream().filter(z -> z.name().equalsIgnoreCase(asked)).findFirst()
        .orElseThrow(() -> new ApiError(404, "zone_not_found", "no zone named " + asked + " on this edge", "zone")).name();
  }

  private static int limit(Map<String, List<String>> p) {
    if (!p.containsKey("limit")) return ERRORS_DEFAULT;
    int limit;
    try {
      limit = Integer.parseInt(p.get("limit").get(0));
    } catch (NumberFormatException e) {
      limit = 0;
    }
    if (limit < 1 || limit > RayIndex.ERRORS_KEPT) {
      throw new ApiError(400, "bad_limit", "limit: a number from 1 to " + RayIndex.ERRORS_KEPT, "limit");
    }
    return limit;
  }

  /** The answer is JSON already (access-log lines as written, or the analytics' own encoding). */
  private static void sendJson(RoutingContext ctx, byte[] json) {
    ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
        .end(Buffer.buffer(json));
  }

  static void fail(RoutingContext ctx, ApiError e) {
    AdminErrors.fail(ctx, e.status(), e.code(), e.getMessage(), e.field());
  }

  private static Map<String, List<String>> params(RoutingContext ctx) {
    return new QueryStringDecoder(ctx.request().uri()).parameters();
  }
}
