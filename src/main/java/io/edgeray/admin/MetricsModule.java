package io.edgeray.admin;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** {@code GET /metrics} in the Prometheus text format: with a read token, or open to scrapers with {@code admin.metrics_public}. */
public final class MetricsModule implements AdminModule {
  private final PrometheusRegistry registry;
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  public MetricsModule(PrometheusRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void mount(Router router, AdminAccess access) {
    router.get("/metrics").handler(ctx -> {
      if (access.settings().metricsPublic()) ctx.next(); else access.read().handle(ctx);
    }).handler(ctx -> {
      ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
      try {
        writer.write(out, registry.scrape());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      ctx.response().putHeader("Content-Type", PrometheusTextFormatWriter.CONTENT_TYPE)
          .putHeader("Cache-Control", "no-store").end(Buffer.buffer(out.toByteArray()));
    });
  }
}
