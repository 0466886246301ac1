package io.edgeray.admin;

import io.edgeray.config.EdgeConfig;
import io.edgeray.pool.Pools;
import io.edgeray.pool.PoolsJson;
import io.vertx.ext.web.Router;
import java.util.function.Supplier;

/** The node itself: {@code GET /healthz}, {@code GET /api/pools}, {@code POST /reload}. */
public final class NodeModule implements AdminModule {
  private final Supplier<EdgeConfig> config;
  private final Supplier<Pools> pools;
  private final Supplier<Reloaded> reload;
  private final Supplier<String> healthNote;

  /**
   * What a reload did. {@code error}: why the config was refused (its {@code file:line: key}), nothing
   * changed; null when it is in service. {@code warning}: what did not take although the config did
   * (the admin certificate's files, whose old certificate stays in service), or null.
   */
  public record Reloaded(String error, String warning) {}

  /** @param reload reloads the config file */
  public NodeModule(Supplier<EdgeConfig> config, Supplier<Pools> pools, Supplier<Reloaded> reload) {
    this(config, pools, reload, () -> "");
  }

  /** @param healthNote said after {@code ok NODE} on {@code /healthz} (a fleet node's config revision, etcd or Redis away) */
  public NodeModule(Supplier<EdgeConfig> config, Supplier<Pools> pools, Supplier<Reloaded> reload, Supplier<String> healthNote) {
    this.config = config;
    this.pools = pools;
    this.reload = reload;
    this.healthNote = healthNote;
  }

  @Override
  public void mount(Router router, AdminAccess access) {
    // open to anyone who reaches the port: a load balancer's health check has no token
    router.get("/healthz").handler(ctx -> AdminJson.text(ctx, 200, "ok " + config.get().node() + healthNote.get() + "\n"));
    router.get("/api/pools").handler(access.read()).handler(ctx -> ctx.response().setStatusCode(200)
        .putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
        .end(PoolsJson.of(pools.get())));
    // the text answer is kept for scripts that grep it; the reload reads a file, so it runs off the event loop
    router.post("/reload").handler(access.edit()).handler(ctx -> ctx.vertx().executeBlocking(reload::get)
        .onSuccess(r -> AdminJson.text(ctx, r.error() == null ? 200 : 400, r.error() != null ? r.error() + "\n"
            : r.warning() == null ? "reloaded\n" : "reloaded\nwarning: " + r.warning() + "\n"))
        .onFailure(ctx::fail));
  }
}
