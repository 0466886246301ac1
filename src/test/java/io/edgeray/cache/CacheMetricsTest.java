package io.edgeray.cache;

import io.edgeray.testing.TestClock;
import static io.edgeray.cache.CacheFixtures.T0;
import static io.edgeray.cache.CacheFixtures.get;
import static io.edgeray.cache.CacheFixtures.headers;
import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CacheMetricsTest {
  @Test
  void requestsBytesTierSizesAndStaleServedAppearOnTheRegistry() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    CacheMetrics metrics = new CacheMetrics(registry);
    var clock = new TestClock(T0);
    HttpCache cache = new HttpCache(CacheStorage.inMemory(1 << 20, 1 << 16, metrics), metrics, clock, "AMS",
        new CacheFixtures.TestTimer(), Duration.ofSeconds(5));
    var f = ((Lookup.Miss) cache.lookup(CacheSettings.DEFAULTS, get("/m"))).fetch();
    var d = (ResponseDecision.Forward) f.responseHead(new ResponseHead(200, headers("Cache-Control", "max-age=1", "Content-Length", "4")));
    d.writer().get().append(new byte[4]);
    d.writer().get().commit();
    try (BodyStream s = ((Lookup.Hit) cache.lookup(CacheSettings.DEFAULTS, get("/m"))).response().body()) {
      s.readAll();
    }
    clock.advance(Duration.ofSeconds(10));
    var again = ((Lookup.Miss) cache.lookup(CacheSettings.DEFAULTS, get("/m"))).fetch();
    again.originFailed(new OriginError(521, "connection_refused")).orElseThrow().close();

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, registry.scrape());
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(text)
        .contains("edgeray_cache_requests_total{status=\"HIT\",zone=\"shop.example\"} 1.0")
        .contains("edgeray_cache_requests_total{status=\"MISS\",zone=\"shop.example\"} 1.0")
        .contains("edgeray_cache_requests_total{status=\"STALE\",zone=\"shop.example\"} 1.0")
        .contains("edgeray_cache_served_bytes_total{zone=\"shop.example\"} 4.0")
        .contains("edgeray_origin_failures_served_stale_total{code=\"521\",zone=\"shop.example\"} 1.0")
        .contains("edgeray_cache_tier_objects{tier=\"memory\"} 1.0")
        .contains("edgeray_cache_tier_bytes{tier=\"disk\"} 0.0");
  }
}
