package io.edgeray.incident;

import io.edgeray.admin.AdminAccess;
import io.edgeray.admin.AdminErrors;
import io.edgeray.admin.AdminJson;
import io.edgeray.admin.AdminModule;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;

/** {@code GET /api/incidents} and {@code GET /api/incidents/{id}} on the admin listener, with a read token. */
public final class IncidentsModule implements AdminModule {
  private final IncidentsApi api;

  public IncidentsModule(Incidents incidents) {
    this.api = new IncidentsApi(incidents);
  }

  @Override
  public void mount(Router router, AdminAccess access) {
    router.get("/api/incidents").handler(access.read()).handler(ctx -> {
      Map<String, String> query = new HashMap<>();
      new QueryStringDecoder(ctx.request().uri()).parameters().forEach((k, v) -> query.put(k, v.get(0)));
      answer(ctx, api.list(query));
    });
    router.get("/api/incidents/:id").handler(access.read()).handler(ctx -> answer(ctx, api.get(ctx.pathParam("id"))));
  }

  private static void answer(RoutingContext ctx, IncidentsApi.Answer a) {
    if (a.problem() == null) {
      AdminJson.send(ctx, a.status(), a.body());
    } else {
      AdminErrors.fail(ctx, a.status(), a.problem().code(), a.problem().message(), a.problem().field());
    }
  }
}
