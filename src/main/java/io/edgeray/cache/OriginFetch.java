package io.edgeray.cache;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One trip to the origin on the cache's behalf (a miss, a revalidation, a bypass). The engine
 * calls, in its phases: {@link #prepareOriginRequest} (upstream request), then either
 * {@link #responseHead} (response head) or {@link #originFailed} (fail to proxy); if it gives up
 * before either, {@link #abandon}. Every path wakes the requests collapsed behind this one.
 * Used by one thread at a time (the ray's event loop).
 */
public final class OriginFetch {
  /**
   * Request headers that change what an origin answers but are not in the cache key: never sent to
   * the origin on a cacheable request (cache poisoning), unless the zone keys on them.
   */
  public static final List<String> UNKEYED_HEADERS = List.of(
      "X-Forwarded-Host", "X-Forwarded-Server", "X-Host", "X-Original-URL", "X-Rewrite-URL",
      "X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override", "X-Forwarded-Scheme", "X-Original-Host");

  private final HttpCache cache;
  final CacheSettings zone;
  final CacheRule rule;
  final CacheRequest request;
  final CacheKey key;
  final EntryMeta stale; // the stored copy being revalidated, or null
  private final boolean store;
  private final String fwd;
  private final EdgeCacheStatus status;
  private final String detail;
  private final RequestCollapser.Flight<HttpCache.FlightOutcome> flight; // null: nobody waits for this fetch
  final Instant requestTime;
  private boolean validatorsSent;
  private boolean finished;
  private volatile String ray; // the ray making this fetch, once one does

  OriginFetch(HttpCache cache, CacheSettings zone, CacheRule rule, CacheRequest request, CacheKey key, EntryMeta stale,
      boolean store, String fwd, EdgeCacheStatus status, String detail,
      RequestCollapser.Flight<HttpCache.FlightOutcome> flight, Instant requestTime) {
    this.cache = cache;
    this.zone = zone;
    this.rule = rule;
    this.request = request;
    this.key = key;
    this.stale = stale;
    this.store = store;
    this.fwd = fwd;
    this.status = status;
    this.detail = detail;
    this.flight = flight;
    this.requestTime = requestTime;
  }

  /** The request this fetch makes (for a background refresh: the visitor's without its conditionals). */
  public CacheRequest request() {
    return request;
  }

  public CacheKey key() {
    return key;
  }

  /** MISS, EXPIRED, BYPASS or DYNAMIC: what the visitor is told unless the response changes it. */
  public EdgeCacheStatus status() {
    return status;
  }

  /** Whether a stored copy is being revalidated. */
  public boolean revalidating() {
    return stale != null && !Conditionals.revalidationHeaders(stale.headers()).isEmpty();
  }

  /** The validators the edge sends for its stored copy (If-None-Match, If-Modified-Since); empty when none. */
  public HttpHeaders revalidationHeaders() {
    return stale == null ? new DefaultHttpHeaders() : Conditionals.revalidationHeaders(stale.headers());
  }

  /**
   * Upstream-request phase: adjusts the headers going to the origin. On a cacheable request the
   * unkeyed headers are removed; when revalidating, the visitor's own conditionals are replaced
   * by the edge's validators (the visitor's are answered from the refreshed copy).
   */
  public void prepareOriginRequest(HttpHeaders upstream) {
    if (!store) return;
    for (String h : UNKEYED_HEADERS) {
      if (!zone.cacheKey().headers().contains(h.toLowerCase(java.util.Locale.ROOT))) upstream.remove(h);
    }
    HttpHeaders validators = revalidationHeaders();
    if (!validators.isEmpty()) {
      upstream.remove("If-None-Match");
      upstream.remove("If-Modified-Since");
      upstream.remove("If-Match");
      upstream.remove("If-Unmodified-Since");
      upstream.remove("If-Range");
      upstream.remove("Range");
      upstream.add(validators);
      validatorsSent = true;
    }
  }

  /** Response-head phase: what to send the visitor and whether to store the body. */
  public ResponseDecision responseHead(ResponseHead head) {
    return cache.responseHead(this, head, validatorsSent);
  }

  /**
   * Fail-to-proxy phase: the stale copy to send instead of the error page, if Always Online or
   * stale-if-error allows one. Also wakes the collapsed requests with the failure.
   */
  public Optional<CachedResponse> originFailed(OriginError error) {
    cache.originFailed(this, error);
    Optional<CachedResponse> answer = cache.staleFor(zone, rule, request, key, error, false);
    finish(new HttpCache.FlightOutcome.Failed(error));
    return answer;
  }

  /** The engine gave up (the visitor left, a refusal): waiting requests go to the origin themselves. */
  public void abandon() {
    finish(HttpCache.FlightOutcome.NOT_STORED);
  }

  /** Names the ray that makes this fetch (for the logs of the visitors who follow it). */
  void forRay(String id) {
    this.ray = id;
  }

  /** The ray making this fetch, or null before one took it. */
  String ray() {
    return ray;
  }

  boolean store() {
    return store;
  }

  CacheStatus cacheStatus(int fwdStatus) {
    return new CacheStatus(cache.node(), status, false, fwd, fwdStatus, null, false, false, detail);
  }

  boolean hasFlight() {
    return flight != null;
  }

  void finish(HttpCache.FlightOutcome outcome) {
    if (finished) return;
    finished = true;
    if (flight != null) flight.complete(outcome);
  }

  static Set<String> hopByHop() {
    return Set.of("connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade",
        "proxy-authenticate", "proxy-authorization");
  }
}
