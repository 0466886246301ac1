package io.edgeray.cache;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;

/**
 * A response the cache answers with: its status, its complete headers (Age, Cache-Status,
 * Edge-Cache-Status, Content-Length included) and, unless it has none, its body. It may hold an
 * open file: send it with {@link #body()} (closing the stream) or call {@link #close()}.
 */
public final class CachedResponse implements AutoCloseable {
  private final int status;
  private final HttpHeaders headers;
  private final CacheStatus cacheStatus;
  private final StoredBody body; // null: no body (304, HEAD, 416, 504)
  private final List<BodyStream.Segment> segments;
  private final java.util.function.LongConsumer served;
  private final String fetchingRay; // the ray fetching a body still arriving, or null
  private boolean taken;

  CachedResponse(int status, HttpHeaders headers, CacheStatus cacheStatus, StoredBody body, List<BodyStream.Segment> segments,
      java.util.function.LongConsumer served) {
    this(status, headers, cacheStatus, body, segments, served, null);
  }

  CachedResponse(int status, HttpHeaders headers, CacheStatus cacheStatus, StoredBody body, List<BodyStream.Segment> segments,
      java.util.function.LongConsumer served, String fetchingRay) {
    this.fetchingRay = fetchingRay;
    this.status = status;
    this.headers = headers;
    this.cacheStatus = cacheStatus;
    this.body = body;
    this.segments = segments;
    this.served = served;
  }

  public int status() {
    return status;
  }

  public HttpHeaders headers() {
    return headers;
  }

  public CacheStatus cacheStatus() {
    return cacheStatus;
  }

  public EdgeCacheStatus edgeStatus() {
    return cacheStatus.edge();
  }

  public boolean hasBody() {
    return body != null;
  }

  /** The body's chunks; call once. An empty stream when there is no body. */
  public BodyStream body() {
    if (taken) throw new IllegalStateException("the body was already taken");
    taken = true;
    StoredBody b = body == null ? StoredBody.NONE : body;
    return new BodyStream(b, body == null ? List.of() : segments, served, fetchingRay);
  }

  @Override
  public void close() {
    if (!taken && body != null) body.close();
    taken = true;
  }
}
