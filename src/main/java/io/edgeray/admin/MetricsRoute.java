package io.edgeray.admin;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** /metrics in the Prometheus text format. */
public final class MetricsRoute implements AdminRoute {
  private final PrometheusRegistry registry;
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  public MetricsRoute(PrometheusRegistry registry) {
    this.registry = registry;
  }

  @Override
  public AdminResponse handle(String method, String query) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    try {
      writer.write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new AdminResponse(200, PrometheusTextFormatWriter.CONTENT_TYPE, out.toByteArray(), Map.of());
  }
}
