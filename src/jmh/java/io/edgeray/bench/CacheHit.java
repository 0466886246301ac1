package io.edgeray.bench;

import io.edgeray.cache.CacheMetrics;
import io.edgeray.cache.CacheRequest;
import io.edgeray.cache.CacheSettings;
import io.edgeray.cache.CacheStorage;
import io.edgeray.cache.CachedResponse;
import io.edgeray.cache.HttpCache;
import io.edgeray.cache.Lookup;
import io.edgeray.cache.ResponseDecision;
import io.edgeray.cache.ResponseHead;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A memory-tier hit of a 1 KiB object, as {@code bench/measure --scenario cache} makes them: the
 * object stored from nginx's {@code expires 1h} answer, then {@code HttpCache.lookup} and the
 * visitor's response built from it (headers and body segments; the body is not copied out).
 * {@link #memoryHit} is a load tool's request (no Cache-Control); {@link #memoryHitBrowser} a
 * browser's reload ({@code Cache-Control: max-age=0} would revalidate, so it sends none but 17
 * other headers and a conditional that does not match).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CacheHit {
  private HttpCache cache;
  private CacheRequest plain;
  private CacheRequest browser;

  @Setup
  public void setup() {
    CacheMetrics metrics = CacheMetrics.unregistered();
    cache = HttpCache.create(CacheStorage.inMemory(64 << 20, 1 << 20, metrics), metrics, "AMS");
    HttpHeaders req = new DefaultHttpHeaders();
    req.add("Host", "cache.test");
    req.add("User-Agent", "wrk");
    req.add("Accept", "*/*");
    plain = new CacheRequest("cache.test", "GET", "http", "cache.test", "/c/1k", req);
    HttpHeaders b = Fixtures.browserRequest();
    b.remove("Cache-Control");
    b.set("If-None-Match", "\"not-this-one\"");
    browser = new CacheRequest("cache.test", "GET", "http", "cache.test", "/c/1k", b);
    store();
  }

  private void store() {
    Lookup l = cache.lookup(CacheSettings.DEFAULTS, plain);
    if (!(l instanceof Lookup.Miss m)) throw new IllegalStateException("expected a miss, got " + l);
    Date now = new Date();
    HttpHeaders h = new DefaultHttpHeaders(); // nginx serving a static file with `expires 1h`
    h.add("Server", "nginx/1.22.1");
    h.add("Date", DateFormatter.format(now));
    h.add("Content-Type", "application/octet-stream");
    h.add("Content-Length", "1024");
    h.add("Last-Modified", DateFormatter.format(new Date(now.getTime() - 86_400_000L)));
    h.add("Connection", "keep-alive");
    h.add("Expires", DateFormatter.format(new Date(now.getTime() + 3_600_000L)));
    h.add("Cache-Control", "max-age=3600");
    h.add("ETag", "\"6751a2cc-400\"");
    h.add("Accept-Ranges", "bytes");
    ResponseDecision d = m.fetch().responseHead(new ResponseHead(200, h));
    if (!(d instanceof ResponseDecision.Forward f) || f.writer().isEmpty()) throw new IllegalStateException("not stored: " + d);
    f.writer().get().append(new byte[1024]);
    f.writer().get().commit();
  }

  private CachedResponse hit(CacheRequest req) {
    Lookup l = cache.lookup(CacheSettings.DEFAULTS, req);
    if (!(l instanceof Lookup.Hit h)) throw new IllegalStateException("expected a hit, got " + l);
    CachedResponse r = h.response();
    r.close();
    return r;
  }

  @Benchmark
  public CachedResponse memoryHit() {
    return hit(plain);
  }

  @Benchmark
  public CachedResponse memoryHitBrowser() {
    return hit(browser);
  }
}
