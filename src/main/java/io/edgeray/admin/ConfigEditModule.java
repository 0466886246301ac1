package io.edgeray.admin;

import io.edgeray.config.edit.ApiAnswer;
import io.edgeray.config.edit.RuleList;
import io.edgeray.config.edit.ZonesApi;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;

/**
 * Zones, DNS records, zone settings (the cache's too), cache rules, firewall rules, rate limits, IP
 * rules and pool origins ({@link ZonesApi}) on the admin listener.
 * Reads answer on the admin event loop; a change writes and fsyncs the config file (or writes to
 * etcd), so it runs on a worker. Every change request is in the audit log (AdminAccess writes it); a change made or
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
    router.get("/api/zones").handler(access.read()).handler(versioned(ctx -> api.zones()));
    router.get(ZONE).handler(access.read()).handler(versioned(ctx -> api.zone(ctx.pathParam("zone"))));
    router.get(ZONE + "/records").handler(access.read()).handler(ctx -> send(ctx, api.records(ctx.pathParam("zone"))));
    router.post(ZONE + "/records").handler(access.edit()).handler(change(access, ctx -> on(ctx).createRecord(ctx.pathParam("zone"), body(ctx))));
    router.put(RECORD).handler(access.edit())
        .handler(change(access, ctx -> on(ctx).updateRecord(ctx.pathParam("zone"), ctx.pathParam("id"), body(ctx), true)));
    router.patch(RECORD).handler(access.edit())
        .handler(change(access, ctx -> on(ctx).updateRecord(ctx.pathParam("zone"), ctx.pathParam("id"), body(ctx), false)));
    router.delete(RECORD).handler(access.edit()).handler(change(access, ctx -> on(ctx).deleteRecord(ctx.pathParam("zone"), ctx.pathParam("id"))));
    router.patch(ZONE + "/settings").handler(access.edit()).handler(change(access, ctx -> on(ctx).zoneSettings(ctx.pathParam("zone"), body(ctx))));
    router.post("/api/pools/:pool/origins/:origin").handler(access.edit())
        .handler(change(access, ctx -> on(ctx).originEnabled(ctx.pathParam("pool"), ctx.pathParam("origin"), body(ctx))));
    for (RuleList list : RuleList.values()) mountRules(router, access, ZONE + "/" + list.key(), list, ctx -> ctx.pathParam("zone"));
    mountRules(router, access, "/api/" + RuleList.IP_ACCESS.key(), RuleList.IP_ACCESS, ctx -> null); // the edge-wide IP rules
    router.get(ZONE + "/cache/rules").handler(access.read()).handler(ctx -> send(ctx, api.cacheRules(ctx.pathParam("zone"))));
    router.put(ZONE + "/cache/rules").handler(access.edit())
        .handler(change(access, ctx -> on(ctx).replaceCacheRules(ctx.pathParam("zone"), body(ctx))));
  }

  /** A rule list's routes: GET and PUT (the whole list), POST (one more), PATCH and DELETE of one by its id. */
  private void mountRules(Router router, AdminAccess access, String path, RuleList list, Function<RoutingContext, String> zone) {
    router.get(path).handler(access.read()).handler(ctx -> send(ctx, api.rules(zone.apply(ctx), list)));
    router.post(path).handler(access.edit()).handler(change(access, ctx -> on(ctx).addRule(zone.apply(ctx), list, body(ctx))));
    router.put(path).handler(access.edit()).handler(change(access, ctx -> on(ctx).replaceRules(zone.apply(ctx), list, body(ctx))));
    router.patch(path + "/:id").handler(access.edit())
        .handler(change(access, ctx -> on(ctx).updateRule(zone.apply(ctx), list, ctx.pathParam("id"), body(ctx))));
    router.delete(path + "/:id").handler(access.edit())
        .handler(change(access, ctx -> on(ctx).deleteRule(zone.apply(ctx), list, ctx.pathParam("id"))));
  }

  /**
   * A change, made only over the version in the request's {@code If-Match} when it has one (see
   * {@link ZonesApi#basedOn}). The edit runs on a worker; on a fleet node the wait for this node to
   * apply it then holds no thread: the answer is sent when it has.
   */
  private io.vertx.core.Handler<RoutingContext> change(AdminAccess access, Function<RoutingContext, ApiAnswer> make) {
    return ctx -> ctx.vertx().executeBlocking(() -> make.apply(ctx))
        .compose(made -> Future.fromCompletionStage(made.settled(), ctx.vertx().getOrCreateContext()))
        .onSuccess(answer -> {
          if (answer.audited()) access.change(ctx, answer.change());
          send(ctx, answer);
        })
        .onFailure(ctx::fail);
  }

  /** A read answered with the config's version as its {@code ETag}, for a later change's {@code If-Match}. */
  private io.vertx.core.Handler<RoutingContext> versioned(Function<RoutingContext, ApiAnswer> read) {
    return ctx -> ctx.vertx().executeBlocking(() -> new Versioned(read.apply(ctx), api.etag())) // the version reads the file
        .onSuccess(v -> {
          if (v.etag() != null) ctx.response().putHeader("ETag", v.etag());
          send(ctx, v.answer());
        })
        .onFailure(ctx::fail);
  }

  private record Versioned(ApiAnswer answer, String etag) {}

  private ZonesApi on(RoutingContext ctx) {
    return api.basedOn(ctx.request().getHeader("If-Match"));
  }

  private static byte[] body(RoutingContext ctx) {
    return ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
  }

  private static void send(RoutingContext ctx, ApiAnswer answer) {
    AdminJson.send(ctx, answer.status(), answer.body());
  }
}
