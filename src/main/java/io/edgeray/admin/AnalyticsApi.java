package io.edgeray.admin;

import io.edgeray.analytics.Analytics;
import io.edgeray.analytics.AnalyticsQuery;
import io.edgeray.analytics.ApiError;
import io.edgeray.analytics.RayIndex;
import io.edgeray.config.EdgeConfig;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /api/analytics}, {@code GET /api/errors} and {@code GET /api/rays/{ray}}: the HTTP
 * side only; what they answer is worked out by {@link Analytics}, {@link AnalyticsQuery} and
 * {@link RayIndex}. Errors are the API's JSON {@code {"error":{code, message, field}}}.
 */
public final class AnalyticsApi {
  public static final String RAYS = "/api/rays/";
  private static final int ERRORS_DEFAULT = 50;

  private final Analytics analytics;
  private final RayIndex rays; // null when the access log goes to stdout: no ray is retained
  private final Supplier<EdgeConfig> config;

  public AnalyticsApi(Analytics analytics, RayIndex rays, Supplier<EdgeConfig> config) {
    this.analytics = analytics;
    this.rays = rays;
    this.config = config;
  }

  public AdminServer mount(AdminServer admin) {
    return admin
        .route("/api/analytics", (m, q) -> answer(m, () -> json(200, analytics.json(
            AnalyticsQuery.parse(params(q), config.get(), analytics.clock().instant())))))
        .route("/api/errors", (m, q) -> answer(m, () -> errors(params(q))))
        .routeUnder(RAYS, (m, rest, body) -> answer(m, () -> ray(rest)));
  }

  private AdminResponse errors(Map<String, List<String>> p) {
    String zone = p.containsKey("zone") ? p.get("zone").get(0) : null;
    if (zone != null) {
      String asked = zone;
      zone = config.get().zones().stream().filter(z -> z.name().equalsIgnoreCase(asked)).findFirst()
          .orElseThrow(() -> new ApiError(404, "zone_not_found", "no zone named " + asked + " on this edge", "zone")).name();
    }
    int limit = ERRORS_DEFAULT;
    if (p.containsKey("limit")) {
      try {
        limit = Integer.parseInt(p.get("limit").get(0));
      } catch (NumberFormatException e) {
        limit = 0;
      }
      if (limit < 1 || limit > RayIndex.ERRORS_KEPT) {
        throw new ApiError(400, "bad_limit", "limit: a number from 1 to " + RayIndex.ERRORS_KEPT, "limit");
      }
    }
    List<String> lines = rays == null ? List.of() : rays.errors(zone, limit);
    return AdminResponse.json(200, "[" + String.join(",", lines) + "]");
  }

  private AdminResponse ray(String rest) {
    String ray = new QueryStringDecoder("/" + rest).path().substring(1);
    if (ray.isEmpty() || ray.contains("/")) throw new ApiError(404, "not_found", "no such endpoint: /api/rays/{ray}", null);
    return (rays == null ? java.util.Optional.<String>empty() : rays.line(ray))
        .map(line -> AdminResponse.json(200, line))
        .orElseThrow(() -> new ApiError(404, "ray_not_found", "ray " + ray
            + " is not in the retained access log (never seen by this edge, or rotated away)", "ray"));
  }

  private static AdminResponse answer(String method, Supplier<AdminResponse> work) {
    if (!method.equals("GET")) return AdminResponse.error(new ApiError(405, "method_not_allowed", "use GET", null));
    try {
      return work.get();
    } catch (ApiError e) {
      return AdminResponse.error(e);
    }
  }

  private static AdminResponse json(int status, byte[] body) {
    return new AdminResponse(status, "application/json", body, Map.of());
  }

  private static Map<String, List<String>> params(String query) {
    return new QueryStringDecoder(query, StandardCharsets.UTF_8, false).parameters();
  }
}
