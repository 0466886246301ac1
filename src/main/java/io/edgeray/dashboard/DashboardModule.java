package io.edgeray.dashboard;

import io.edgeray.admin.AdminAccess;
import io.edgeray.admin.AdminModule;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The dashboard at {@code /} on the admin listener: static files from this jar's
 * {@code dashboard/} and uPlot from its WebJar. They need no token (the page holds no data; every
 * API call it makes does). The dashboard's own files are revalidated on every load
 * ({@code no-cache} and a content ETag), so an upgraded edge shows its new dashboard at once;
 * uPlot's path carries its version, so it is cached for a year.
 */
public final class DashboardModule implements AdminModule {
  /** The uPlot of the pom's org.webjars.npm:uplot; index.html and overview.js import this path. */
  static final String UPLOT_VERSION = "1.6.30";
  static final String UPLOT_PATH = "/dashboard/uplot/" + UPLOT_VERSION + "/";
  private static final String FILES = "dashboard";
  private static final String UPLOT_FILES = "META-INF/resources/webjars/uplot/" + UPLOT_VERSION + "/dist";
  /** Only this origin's scripts and styles; uPlot sizes its elements through the style attribute. */
  private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
      + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

  private final ContentTags tags = new ContentTags(FILES);

  @Override
  public void mount(Router router, AdminAccess access) {
    StaticHandler uplot = StaticHandler.create(UPLOT_FILES).setCachingEnabled(false).setDirectoryListing(false);
    StaticHandler files = StaticHandler.create(FILES).setCachingEnabled(false).setDirectoryListing(false);
    router.get(UPLOT_PATH + "*").handler(ctx -> {
      safety(ctx);
      ctx.response().putHeader("Cache-Control", "public, max-age=31536000, immutable");
      ctx.next();
    }).handler(uplot);
    router.get("/").handler(ctx -> ctx.reroute("/dashboard/index.html"));
    router.get("/dashboard").handler(ctx -> ctx.redirect("/"));
    router.get("/dashboard/*").handler(this::revalidated).handler(files);
  }

  /** {@code Cache-Control: no-cache} with the file's ETag; a matching If-None-Match gets a 304 with no body. */
  private void revalidated(RoutingContext ctx) {
    String file = ctx.normalizedPath().substring("/dashboard/".length());
    ctx.vertx().executeBlocking(() -> tags.of(file)).onComplete(done -> {
      safety(ctx);
      String tag = done.succeeded() ? done.result() : null;
      if (tag == null) {
        ctx.next(); // no such file: the static handler answers 404
        return;
      }
      ctx.response().putHeader("Cache-Control", "no-cache").putHeader("ETag", tag);
      if (tag.equals(ctx.request().getHeader("If-None-Match"))) {
        ctx.response().setStatusCode(304).end();
      } else {
        ctx.next();
      }
    });
  }

  private static void safety(RoutingContext ctx) {
    ctx.response().putHeader("Content-Security-Policy", CSP).putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer");
  }
}
