package io.edgeray.cache;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Turns a stored object into the response a visitor gets: Age, the visitor's own conditionals
 * answered 304, HEAD without a body, Range as 206 (one range, or multipart/byteranges), 416.
 */
final class ResponseBuilder {
  private ResponseBuilder() {}

  static CachedResponse fromStored(CacheStorage.Found found, CacheRequest req, CacheStatus status, Duration age,
      Duration browserTtl, java.util.function.LongConsumer served) {
    EntryMeta meta = found.meta();
    HttpHeaders h = visitorHeaders(meta, age, browserTtl);
    long length = meta.bodyLength();
    if (Conditionals.notModified(req.headers(), h) && meta.status() == 200) {
      HttpHeaders nm = Conditionals.notModifiedHeaders(h);
      nm.set("Age", h.get("Age"));
      status.applyTo(nm);
      found.body().close();
      return new CachedResponse(304, nm, status, null, List.of(), served);
    }
    if (meta.status() == 200) h.set(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES);
    ByteRanges.Plan plan = meta.status() == 200 && !req.method().equals("HEAD")
        ? ByteRanges.plan(req.headers(), h, length) : new ByteRanges.Whole();
    if (plan instanceof ByteRanges.Unsatisfiable) {
      h.set("Content-Range", "bytes */" + length);
      h.set("Content-Length", "0");
      status.applyTo(h);
      found.body().close();
      return new CachedResponse(416, h, status, null, List.of(), served);
    }
    int code = meta.status();
    List<BodyStream.Segment> segments;
    if (plan instanceof ByteRanges.Partial p && p.ranges().size() == 1) {
      ByteRanges.Range r = p.ranges().get(0);
      code = 206;
      h.set("Content-Range", r.contentRange(length));
      h.set("Content-Length", Long.toString(r.length()));
      segments = List.of(new BodyStream.Slice(r.first(), r.length()));
    } else if (plan instanceof ByteRanges.Partial p) {
      code = 206;
      segments = new ArrayList<>();
      String boundary = "edgeray-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
      String type = h.get("Content-Type");
      long total = 0;
      for (ByteRanges.Range r : p.ranges()) {
        byte[] sep = ("\r\n--" + boundary + "\r\n" + (type == null ? "" : "Content-Type: " + type + "\r\n")
            + "Content-Range: " + r.contentRange(length) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        segments.add(new BodyStream.Literal(sep));
        segments.add(new BodyStream.Slice(r.first(), r.length()));
        total += sep.length + r.length();
      }
      byte[] end = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
      segments.add(new BodyStream.Literal(end));
      total += end.length;
      h.set("Content-Type", "multipart/byteranges; boundary=" + boundary);
      h.set("Content-Length", Long.toString(total));
    } else {
      h.set(HttpHeaderNames.CONTENT_LENGTH, Long.toString(length));
      segments = List.of(new BodyStream.Slice(0, length));
    }
    status.applyTo(h);
    if (req.method().equals("HEAD")) {
      found.body().close();
      return new CachedResponse(code, h, status, null, List.of(), served);
    }
    return new CachedResponse(code, h, status, found.body(), segments, served);
  }

  /**
   * An object still arriving from the origin, for a plain GET: streamed as it comes, with the
   * origin's Content-Length when it gave one (else chunked). {@code fetchingRay} names the ray
   * fetching it, for the log should the origin break off.
   */
  static CachedResponse fromArriving(EntryMeta meta, long expectedLength, StoredBody arriving, CacheStatus status,
      Duration age, Duration browserTtl, java.util.function.LongConsumer served, String fetchingRay) {
    HttpHeaders h = visitorHeaders(meta, age, browserTtl);
    if (expectedLength >= 0) h.set("Content-Length", Long.toString(expectedLength));
    else h.remove("Content-Length");
    status.applyTo(h);
    return new CachedResponse(meta.status(), h, status, arriving, List.of(new BodyStream.Slice(0, Long.MAX_VALUE)), served,
        fetchingRay);
  }

  /** The stored head as prepared for visitors when it was stored (one copy per hit), with Age and the browser TTL. */
  private static HttpHeaders visitorHeaders(EntryMeta meta, Duration age, Duration browserTtl) {
    HttpHeaders h = meta.facts().visitorHeaders();
    h.set(HttpHeaderNames.AGE, Long.toString(Math.max(0, age.getSeconds())));
    if (browserTtl != null) {
      h.set(HttpHeaderNames.CACHE_CONTROL, "max-age=" + browserTtl.getSeconds());
      h.remove(HttpHeaderNames.EXPIRES);
    }
    return h;
  }

  /** 504 for only-if-cached when nothing usable is stored (RFC 9111 §5.2.1.7). */
  static CachedResponse gatewayTimeout(CacheStatus status) {
    HttpHeaders h = new DefaultHttpHeaders();
    h.set("Content-Length", "0");
    h.set("Cache-Control", "no-store");
    status.applyTo(h);
    return new CachedResponse(504, h, status, null, List.of(), n -> {});
  }
}
