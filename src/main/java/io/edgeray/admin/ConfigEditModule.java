package io.edgeray.admin;

import io.edgeray.config.edit.ApiAnswer;
import io.edgeray.config.edit.RuleList;
import io.edgeray.config.edit.ZonesApi;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;

/**
 * Zones, DNS records, zone settings (the cache's too), cache rules, firewall rules, rate limits, IP
 * rules and pool origins ({@link ZonesApi}) on the admin listener.
 * Reads answer on the admin event loop; a change writes and fsyncs the config file, so it runs on
 * a worker. Every change request is in the audit log (AdminAccess writes it); a change made or
 * refused for its values is described there in words ("zone shop.example: settings {...}").
 */
public final class ConfigEditModule implements AdminModule {
  private static final String ZONE = "/api/zones/:zone";
  private static final String RECORD = ZONE + "/records/:id";

  private final ZonesApi api;

  public ConfigEditModule(ZonesApi api) {
    this.api = api;
  }

  @Override
  public void mount(Router router, AdminAccess access) {
    router.get("/api/zones").handler(access.read()).handler(ctx -> send(ctx, api.zones()));
    router.get(ZONE).handler(access.read()).handler(ctx -> send(ctx, api.zone(ctx.pathParam("zone"))));
    router.get(ZONE + "/records").handler(access.read()).handler(ctx -> send(ctx, api.records(ctx.pathParam("zone"))));
    router.post(ZONE + "/records").handler(access.edit()).handler(change(access, ctx -> api.createRecord(ctx.pathParam("zone"), body(ctx))));
    router.put(RECORD).handler(access.edit())
        .handler(change(access, ctx -> api.updateRecord(ctx.pathParam("zone"), ctx.pathParam("id"), body(ctx), true)));
    router.patch(RECORD).handler(access.edit())
        .handler(change(access, ctx -> api.updateRecord(ctx.pathParam("zone"), ctx.pathParam("id"), body(ctx), false)));
    router.delete(RECORD).handler(access.edit()).handler(change(access, ctx -> api.deleteRecord(ctx.pathParam("zone"), ctx.pathParam("id"))));
    router.patch(ZONE + "/settings").handler(access.edit()).handler(change(access, ctx -> api.zoneSettings(ctx.pathParam("zone"), body(ctx))));
    router.post("/api/pools/:pool/origins/:origin").handler(access.edit())
        .handler(change(access, ctx -> api.originEnabled(ctx.pathParam("pool"), ctx.pathParam("origin"), body(ctx))));
    for (RuleList list : RuleList.values()) mountRules(router, access, ZONE + "/" + list.key(), list, ctx -> ctx.pathParam("zone"));
    mountRules(router, access, "/api/" + RuleList.IP_ACCESS.key(), RuleList.IP_ACCESS, ctx -> null); // the edge-wide IP rules
    router.get(ZONE + "/cache/rules").handler(access.read()).handler(ctx -> send(ctx, api.cacheRules(ctx.pathParam("zone"))));
    router.put(ZONE + "/cache/rules").handler(access.edit())
        .handler(change(access, ctx -> api.replaceCacheRules(ctx.pathParam("zone"), body(ctx))));
  }

  /** A rule list's routes: GET and PUT (the whole list), POST (one more), PATCH and DELETE of one by its id. */
  private void mountRules(Router router, AdminAccess access, String path, RuleList list, Function<RoutingContext, String> zone) {
    router.get(path).handler(access.read()).handler(ctx -> send(ctx, api.rules(zone.apply(ctx), list)));
    router.post(path).handler(access.edit()).handler(change(access, ctx -> api.addRule(zone.apply(ctx), list, body(ctx))));
    router.put(path).handler(access.edit()).handler(change(access, ctx -> api.replaceRules(zone.apply(ctx), list, body(ctx))));
    router.patch(path + "/:id").handler(access.edit())
        .handler(change(access, ctx -> api.updateRule(zone.apply(ctx), list, ctx.pathParam("id"), body(ctx))));
    router.delete(path + "/:id").handler(access.edit())
        .handler(change(access, ctx -> api.deleteRule(zone.apply(ctx), list, ctx.pathParam("id"))));
  }

  private io.vertx.core.Handler<RoutingContext> change(AdminAccess access, Function<RoutingContext, ApiAnswer> make) {
    return ctx -> ctx.vertx().executeBlocking(() -> make.apply(ctx))
        .onSuccess(answer -> {
          if (answer.audited()) access.change(ctx, answer.change());
          send(ctx, answer);
        })
        .onFailure(ctx::fail);
  }

  private static byte[] body(RoutingContext ctx) {
    return ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
  }

  private static void send(RoutingContext ctx, ApiAnswer answer) {
    AdminJson.send(ctx, answer.status(), answer.body());
  }
}
