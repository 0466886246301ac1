package io.edgeray.admin;

import io.edgeray.config.EdgeConfig;
import io.edgeray.firewall.EdgeRanges;
import io.vertx.ext.web.Router;
import java.util.function.Supplier;

/** The edge's published egress ranges, for origin firewalls to allowlist: {@code /ips-v4}, {@code /ips-v6}, {@code /api/ips}. */
public final class RangesModule implements AdminModule {
  private final Supplier<EdgeConfig> config;

  public RangesModule(Supplier<EdgeConfig> config) {
    this.config = config;
  }

  @Override
  public void mount(Router router, AdminAccess access) {
    router.get("/ips-v4").handler(access.read()).handler(ctx -> AdminJson.text(ctx, 200, ranges().ipv4Text()));
    router.get("/ips-v6").handler(access.read()).handler(ctx -> AdminJson.text(ctx, 200, ranges().ipv6Text()));
    router.get("/api/ips").handler(access.read()).handler(ctx -> {
      EdgeRanges ranges = ranges();
      ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
          .putHeader("ETag", "\"" + ranges.etag() + "\"").end(ranges.json());
    });
  }

  private EdgeRanges ranges() {
    return EdgeRanges.of(config.get().edge());
  }
}
