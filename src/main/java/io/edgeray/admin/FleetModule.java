package io.edgeray.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.edgeray.fleet.FleetNodes;
import io.vertx.ext.web.Router;
import java.util.function.Supplier;

/**
 * {@code GET /api/fleet/nodes} (read): {@code {prefix, config_revision, nodes: [{name, location,
 * admin_url, version, revision, behind, last_seen, seen_seconds_ago, started, config_problem}]}},
 * listed from etcd off the event loop. A node that stands alone answers 404 {@code no_fleet};
 * etcd not answering is 500 {@code etcd_unreachable} (the node itself keeps serving).
 */
public final class FleetModule implements AdminModule {
  private static final ObjectMapper JSON = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

  private final Supplier<FleetNodes> nodes;

  /** @param nodes the node list, or null while the node is not (or not yet) in a fleet */
  public FleetModule(Supplier<FleetNodes> nodes) {
    this.nodes = nodes;
  }

  @Override
  public void mount(Router router, AdminAccess access) {
    router.get("/api/fleet/nodes").handler(access.read()).handler(ctx -> {
      FleetNodes list = nodes.get();
      if (list == null) {
        AdminErrors.fail(ctx, 404, "no_fleet", "this node stands alone: its config has no fleet section", null);
        return;
      }
      ctx.vertx().executeBlocking(() -> JSON.valueToTree(list.list()))
          .onSuccess(body -> AdminJson.send(ctx, 200, body))
          .onFailure(e -> AdminErrors.fail(ctx, 500, "etcd_unreachable",
              "the node list lives on etcd, which does not answer: " + e.getMessage(), null));
    });
  }
}
