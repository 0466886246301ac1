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
  private final Supplier<String> reload;

  /** @param reload reloads the config file; null when it took, else what is wrong (with its file:line) */
  public NodeModule(Supplier<EdgeConfig> config, Supplier<Pools> pools, Supplier<String> reload) {
    this.config = config;
    this.pools = pools;
    this.reload = reload;
  }

  @Override
  public void mount(Router router, AdminAccess access) {
    // open to anyone who reaches the port: a load balancer's health check has no token
    router.get("/healthz").handler(ctx -> AdminJson.text(ctx, 200, "ok " + config.get().node() + "\n"));
    router.get("/api/pools").handler(access.read()).handler(ctx -> ctx.response().setStatusCode(200)
        .putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
        .end(PoolsJson.of(pools.get())));
    // the text answer is kept for scripts that grep it; the reload reads a file, so it runs off the event loop
    router.post("/reload").handler(access.edit()).handler(ctx -> ctx.vertx().executeBlocking(reload::get)
        .onSuccess(error -> AdminJson.text(ctx, error == null ? 200 : 400, error == null ? "reloaded\n" : error + "\n"))
        .onFailure(ctx::fail));
  }
}
