package io.edgeray;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.edgeray.admin.AdminResponse;
import io.edgeray.admin.AdminRoute;
import io.edgeray.fleet.FleetNodes;
import java.util.Map;

/**
 * {@code GET /api/fleet/nodes} on the admin port: {@link FleetNodes#list()} as JSON
 * ({@code {prefix, config_revision, nodes: [{name, location, admin_url, version, revision,
 * behind, last_seen, seen_seconds_ago, started, config_problem}]}}); etcd not answering is a 500
 * {@code etcd_unreachable} in the admin API's error shape.
 */
final class FleetNodesRoute implements AdminRoute {
  private static final ObjectMapper JSON = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

  private final FleetNodes nodes;

  FleetNodesRoute(FleetNodes nodes) {
    this.nodes = nodes;
  }

  @Override
  public AdminResponse handle(String method, String query) {
    try {
      if (!method.equals("GET")) return error(405, "method_not_allowed", "use GET");
      return AdminResponse.json(200, JSON.writeValueAsString(nodes.list())).withHeader("Cache-Control", "no-store");
    } catch (FleetNodes.Unavailable e) {
      return error(500, "etcd_unreachable", "the node list lives on etcd, which does not answer: " + e.getMessage());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static AdminResponse error(int status, String code, String message) {
    try {
      Map<String, Object> error = new java.util.LinkedHashMap<>();
      error.put("code", code);
      error.put("message", message);
      error.put("field", null);
      String body = JSON.writeValueAsString(Map.of("error", error));
      return AdminResponse.json(status, body).withHeader("Cache-Control", "no-store");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
