package io.edgeray.cache;

import io.edgeray.config.Zone;
import io.edgeray.failure.ClassifiedFailure;
import io.edgeray.failure.OriginFailure;
import io.edgeray.forwarding.ForwardHeaders;
import io.edgeray.phase.Chunks;
import io.edgeray.phase.Decision;
import io.edgeray.phase.Phase;
import io.edgeray.phase.Ray;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cache as a phase of the ray's life: a thin adapter that makes exactly the calls
 * {@link HttpCache}'s class comment lists, hook by hook. What it keeps for a ray between hooks is
 * a {@link RayCache} in {@code ray.state}; the access log's {@code cache} field is written at the
 * end of the ray, on its event loop.
 *
 * <p>Stale-while-revalidate: the copy is served at once (UPDATING) and the one refresh the cache
 * hands out is given to the {@link BackgroundRefresher}, which makes it a ray of its own; the
 * engine takes that ray's token off ({@link RefreshTokens#takeFrom}), keeps the fetch it claimed
 * in the ray's state under {@code OriginFetch.class}, and this phase runs it (its log line has
 * {@code refresh: true}).
 *
 * <p>A visitor that leaves in the middle of a body being stored does not end the fetch: the rest
 * is still wanted ({@link #wantsRestOfBody}) while the copy is being stored, within
 * {@code max_object_size}, so the visitors following it get the whole answer.
 */
public final class CachePhase implements Phase {
  private static final Logger LOG = LoggerFactory.getLogger(CachePhase.class);

  private final HttpCache cache;
  private final BackgroundRefresher refresher;

  public CachePhase(HttpCache cache, BackgroundRefresher refresher) {
    this.cache = cache;
    this.refresher = refresher;
  }

  public CachePhase(HttpCache cache) {
    this(cache, BackgroundRefresher.NONE);
  }

  /** One ray's cache work: the fetch going to the origin, the writer storing its body, what to log. */
  static final class RayCache {
    /** Set on the ray's event loop, or by a collapsed wait before the engine hops back to it. */
    volatile OriginFetch fetch;
    volatile String status;
    volatile OriginFailure hidden; // the origin failure a stale copy hid
    volatile String hiddenRay; // the ray whose attempt failed, when this one did not try the origin
    volatile boolean ended;
    boolean refresh; // this ray is a background refresh
    EntryWriter writer;
    Boolean stored;
  }

  @Override
  public Decision cacheLookup(Ray ray) {
    Zone zone = ray.zone();
    if (zone == null || ray.path() == null || ray.upgradeRequested()) return Decision.PROCEED;
    CacheSettings settings = zone.features().get(CacheSettings.class, CacheSettings.DEFAULTS);
    if (!settings.enabled()) return Decision.PROCEED; // a zone without a cache pays nothing for it
    CacheRequest req = new CacheRequest(zone.name(), ray.request().method().name(), ray.https() ? "https" : "http",
        ray.host(), ray.path(), ray.request().headers());
    RayCache rc = new RayCache();
    ray.state(RayCache.class, rc);
    OriginFetch refresh = ray.state(OriginFetch.class);
    if (refresh != null) {
      rc.refresh = true;
      return decide(ray, rc, new Lookup.Miss(refresh));
    }
    return decide(ray, rc, cache.lookup(settings, req));
  }

  /** What a lookup means for the ray; also runs for a collapsed wait's outcome, on the thread that ended it. */
  private Decision decide(Ray ray, RayCache rc, Lookup lookup) {
    if (lookup instanceof Lookup.Hit hit) {
      hit.refresh().ifPresent(this::refreshInBackground);
      return serve(ray, rc, hit.response(), null);
    }
    if (lookup instanceof Lookup.Refused refused) {
      return serve(ray, rc, refused.response(), null);
    }
    if (lookup instanceof Lookup.Miss miss) return fetch(ray, rc, miss.fetch());
    if (lookup instanceof Lookup.Bypass bypass) return fetch(ray, rc, bypass.fetch());
    if (lookup instanceof Lookup.Collapsed collapsed) {
      rc.status = "COLLAPSED";
      return new Decision.Later(collapsed.result().thenApply(outcome -> decide(ray, rc, outcome)));
    }
    if (lookup instanceof Lookup.OriginDown down) {
      rc.hidden = failureOf(down.error());
      rc.hiddenRay = down.failedRay();
      ray.failureHidden(rc.hidden);
      return serve(ray, rc, down.stale(), down.notTried()); // the failure and the ray that met it are fields of the line
    }
    Lookup.OriginFailed failed = (Lookup.OriginFailed) lookup;
    OriginFailure failure = failureOf(failed.error());
    if (failed.stale().isPresent()) {
      rc.hidden = failure;
      ray.failureHidden(failure);
      return serve(ray, rc, failed.stale().get(), "served stale: the fetch this request waited for failed with "
          + failure.name());
    }
    rc.status = "COLLAPSED";
    return new Decision.Fail(new ClassifiedFailure(failure, "the origin fetch this request waited for (collapsed) failed: "
        + failed.error().proxyStatus()));
  }

  private static Decision fetch(Ray ray, RayCache rc, OriginFetch fetch) {
    fetch.forRay(ray.id());
    rc.fetch = fetch;
    rc.status = fetch.status().name();
    return Decision.PROCEED;
  }

  private void refreshInBackground(OriginFetch refresh) {
    String token = cache.refreshes().handOut(refresh);
    if (!refresher.start(refresh.request(), token)) {
      OriginFetch unused = cache.refreshes().claim(token);
      if (unused != null) unused.abandon();
    }
  }

  @Override
  public void upstreamRequest(Ray ray, HttpHeaders toOrigin) {
    OriginFetch fetch = fetchOf(ray);
    if (fetch != null) fetch.prepareOriginRequest(toOrigin);
  }

  @Override
  public Decision responseHead(Ray ray, HttpResponse response) {
    RayCache rc = ray.state(RayCache.class);
    if (rc == null || rc.fetch == null) return Decision.PROCEED;
    ResponseDecision d = rc.fetch.responseHead(new ResponseHead(response.status().code(), response.headers()));
    if (d instanceof ResponseDecision.ServeStored stored) {
      return serve(ray, rc, stored.response(), null);
    }
    ResponseDecision.Forward forward = (ResponseDecision.Forward) d;
    forward.applyTo(response.headers());
    String edge = forward.visitorHeaders().get(EdgeCacheStatus.HEADER);
    if (edge != null) rc.status = edge;
    rc.writer = forward.writer().orElse(null);
    return Decision.PROCEED;
  }

  @Override
  public void responseBody(Ray ray, HttpContent content) {
    RayCache rc = ray.state(RayCache.class);
    if (rc != null && rc.writer != null) rc.writer.append(content.content()); // a copy: the chunk stays the engine's
  }

  /** The copy is still being stored (within max_object_size): the visitors following it need the rest. */
  @Override
  public boolean wantsRestOfBody(Ray ray) {
    RayCache rc = ray.state(RayCache.class);
    return rc != null && rc.writer != null && rc.writer.storing();
  }

  @Override
  public void responseEnd(Ray ray, boolean complete) {
    RayCache rc = ray.state(RayCache.class);
    if (rc == null) {
      OriginFetch refresh = ray.state(OriginFetch.class);
      if (refresh != null) refresh.abandon(); // a refresh's ray answered before the lookup: whoever waits goes on
      return;
    }
    rc.ended = true;
    if (rc.writer != null) {
      if (complete) {
        rc.stored = rc.writer.commit();
      } else {
        rc.writer.abandon();
        rc.stored = false;
      }
    }
    OriginFetch fetch = rc.fetch;
    if (fetch != null) fetch.abandon(); // no head came, or a refusal: wakes whoever waits (a no-op once finished)
    if (rc.status == null) return;
    String storeProblem = rc.writer == null ? null : rc.writer.problem();
    OriginFailure hidden = rc.hidden;
    if (rc.stored == null && !rc.refresh && storeProblem == null && hidden == null) {
      ray.logField("cache", Map.of("status", rc.status)); // a plain hit, most of a cache's rays: no linked map
      return;
    }
    Map<String, Object> field = new LinkedHashMap<>();
    field.put("status", rc.status);
    if (rc.stored != null) field.put("stored", rc.stored);
    if (rc.refresh) field.put("refresh", true);
    if (storeProblem != null) field.put("store_problem", storeProblem);
    if (hidden != null) {
      field.put("origin_failure", hidden.name());
      field.put("origin_status", hidden.status());
      if (rc.hiddenRay != null) field.put("origin_failure_ray", rc.hiddenRay);
    }
    ray.logField("cache", field);
  }

  @Override
  public Decision failToProxy(Ray ray, ClassifiedFailure failure) {
    RayCache rc = ray.state(RayCache.class);
    if (rc == null || rc.fetch == null) return Decision.PROCEED;
    OriginFailure f = failure.failure();
    Optional<CachedResponse> stale = rc.fetch.originFailed(new OriginError(f.status(), f.proxyStatus()));
    if (stale.isEmpty()) return Decision.PROCEED;
    rc.hidden = f;
    return serve(ray, rc, stale.get(), "served stale instead of " + f.status() + " " + f.name());
  }

  private static OriginFetch fetchOf(Ray ray) {
    RayCache rc = ray.state(RayCache.class);
    return rc == null ? null : rc.fetch;
  }

  /** A stored (or cache-made) response as the engine's streamed answer. */
  private static Decision serve(Ray ray, RayCache rc, CachedResponse r, String detail) {
    if (rc.ended) { // the visitor left while this request waited for another's fetch
      r.close();
      return Decision.PROCEED;
    }
    String before = rc.status;
    rc.status = r.edgeStatus().name();
    HttpHeaders h = r.headers();
    h.set(ForwardHeaders.EDGE_RAY, ray.id());
    if (rc.hidden != null && r.edgeStatus() == EdgeCacheStatus.STALE && bannerWanted(ray)
        && StaleBanner.applies(r.status(), h, ray.request().method().name())) {
      Decision bannered = withBanner(ray, r, detail);
      if (bannered != null) return bannered;
      // the stored page did not read back (its body is taken and closed): the visitor gets what it
      // would have got without a copy, the origin's error
      rc.status = before;
      rc.hidden = null;
      return Decision.PROCEED;
    }
    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()), h);
    BodyStream body = r.body();
    Chunks chunks = new Chunks() {
      @Override
      public ByteBuf next(ByteBufAllocator alloc) throws IOException {
        return body.next(alloc);
      }

      @Override
      public boolean ended() {
        return body.ended();
      }

      @Override
      public void onMore(Runnable wake) {
        body.onMore(wake);
      }

      @Override
      public void close() {
        body.close();
      }
    };
    return new Decision.Stream(head, chunks, detail);
  }

  private static boolean bannerWanted(Ray ray) {
    return ray.zone().features().get(CacheSettings.class, CacheSettings.DEFAULTS).staleBanner();
  }

  /** The stale page read whole (it is small: {@link StaleBanner#MAX_PAGE}) with the banner in; null when it did not read back. */
  private static Decision withBanner(Ray ray, CachedResponse r, String detail) {
    byte[] page;
    try (BodyStream body = r.body()) {
      page = body.readAll();
    } catch (IOException e) {
      LOG.warn("ray {}: the stale copy of {} did not read back ({}): the visitor gets the origin's error", ray.id(),
          ray.path(), e.getMessage());
      return null;
    }
    byte[] bannered = StaleBanner.insert(page, ray.id());
    if (bannered == null) bannered = page;
    HttpHeaders h = r.headers();
    if (bannered != page) {
      h.remove("ETag"); // not the origin's bytes any more
      h.remove("Accept-Ranges");
      h.set("Cache-Control", "no-store"); // the banner is for now, not for the browser's cache
    }
    h.set("Content-Length", Integer.toString(bannered.length));
    var full = new io.netty.handler.codec.http.DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.valueOf(r.status()), io.netty.buffer.Unpooled.wrappedBuffer(bannered));
    full.headers().setAll(h);
    return new Decision.Respond(full, detail);
  }

  /** The engine's failure for the cache's record of it (a collapsed wait carries only status and name). */
  static OriginFailure failureOf(OriginError error) {
    for (OriginFailure f : FAILURES) {
      if (f.status() == error.status() && f.proxyStatus().equals(error.proxyStatus())) return f;
    }
    for (OriginFailure f : FAILURES) {
      if (f.status() == error.status()) return f;
    }
    return FAILURES[0];
  }

  /** values() clones its array on every call; every collapsed wait on a failing origin asks. */
  private static final OriginFailure[] FAILURES = OriginFailure.values();
}
