package io.edgeray.cache;

import io.edgeray.testing.TestClock;
import static io.edgeray.cache.CacheFixtures.T0;
import static io.edgeray.cache.CacheFixtures.date;
import static io.edgeray.cache.CacheFixtures.get;
import static io.edgeray.cache.CacheFixtures.headers;
import static io.edgeray.cache.CacheFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The cache end to end in memory, driven the way the engine's phases will drive it. */
class HttpCacheTest {
  private final TestClock clock = new TestClock(T0);
  private final CacheFixtures.TestTimer timer = new CacheFixtures.TestTimer();
  private final CacheMetrics metrics = CacheMetrics.unregistered();
  private final HttpCache cache = new HttpCache(CacheStorage.inMemory(64 << 20, 1 << 20, metrics), metrics, clock, "AMS", timer,
      Duration.ofSeconds(5));
  private CacheSettings zone = CacheSettings.DEFAULTS;

  /** Lookup, go to the origin, answer with this response and body: what the engine does on a miss. */
  private ResponseDecision fetch(CacheRequest req, int status, HttpHeaders h, String body) {
    Lookup l = cache.lookup(zone, req);
    OriginFetch f;
    if (l instanceof Lookup.Miss m) f = m.fetch();
    else if (l instanceof Lookup.Bypass b) f = b.fetch();
    else throw new AssertionError("expected the origin, got " + l);
    return answer(f, status, h, body);
  }

  private static ResponseDecision answer(OriginFetch f, int status, HttpHeaders h, String body) {
    HttpHeaders origin = new DefaultHttpHeaders().add(h);
    if (body != null && !origin.contains("Content-Length")) origin.set("Content-Length", body.getBytes(StandardCharsets.UTF_8).length);
    ResponseDecision d = f.responseHead(new ResponseHead(status, origin));
    if (d instanceof ResponseDecision.Forward fw && fw.writer().isPresent() && body != null) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      int half = bytes.length / 2;
      fw.writer().get().append(Unpooled.wrappedBuffer(bytes, 0, half));
      fw.writer().get().append(bytes, half, bytes.length - half);
      fw.writer().get().commit();
    }
    return d;
  }

  private Lookup.Hit hit(CacheRequest req) {
    Lookup l = cache.lookup(zone, req);
    assertThat(l).isInstanceOf(Lookup.Hit.class);
    return (Lookup.Hit) l;
  }

  private static String body(CachedResponse r) throws Exception {
    try (BodyStream s = r.body()) {
      return new String(s.readAll(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void aStoredResponseIsServedFromTheCacheWithAgeAndCacheStatus() throws Exception {
    var d = (ResponseDecision.Forward) fetch(get("/a.css"), 200, headers("Cache-Control", "max-age=60", "Date", date(T0)), "body{}");
    assertThat(d.visitorHeaders().get("Edge-Cache-Status")).isEqualTo("MISS");
    assertThat(d.visitorHeaders().get("Cache-Status")).isEqualTo("edgeray-AMS; fwd=uri-miss; fwd-status=200; stored");
    clock.advance(Duration.ofSeconds(10));
    CachedResponse r = hit(get("/a.css")).response();
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.headers().get("Age")).isEqualTo("10");
    assertThat(r.headers().get("Edge-Cache-Status")).isEqualTo("HIT");
    assertThat(r.headers().get("Cache-Status")).isEqualTo("edgeray-AMS; hit; ttl=50");
    assertThat(r.headers().get("Content-Length")).isEqualTo("6");
    assertThat(body(r)).isEqualTo("body{}");
    assertThat(metrics.requests("shop.example", EdgeCacheStatus.HIT)).isEqualTo(1);
    assertThat(metrics.servedBytes("shop.example")).isEqualTo(6);
  }

  @Test
  void headIsAnsweredFromAStoredGetWithoutABody() {
    fetch(get("/a"), 200, headers("Cache-Control", "max-age=60"), "hello");
    CachedResponse r = hit(request("HEAD", "/a")).response();
    assertThat(r.hasBody()).isFalse();
    assertThat(r.headers().get("Content-Length")).isEqualTo("5");
  }

  @Test
  void aHeadMissIsNotStored() {
    var d = (ResponseDecision.Forward) fetch(request("HEAD", "/h"), 200, headers("Cache-Control", "max-age=60"), null);
    assertThat(d.writer()).isEmpty();
  }

  @Test
  void aVisitorsConditionalRequestIsAnswered304FromTheCache() {
    fetch(get("/e"), 200, headers("Cache-Control", "max-age=60", "ETag", "\"v1\""), "hello");
    CachedResponse r = hit(get("/e", "If-None-Match", "\"v1\"")).response();
    assertThat(r.status()).isEqualTo(304);
    assertThat(r.hasBody()).isFalse();
    assertThat(r.headers().get("ETag")).isEqualTo("\"v1\"");
    assertThat(hit(get("/e", "If-None-Match", "\"v0\"")).response().status()).isEqualTo(200);
  }

  @Test
  void aRangeIsAnswered206FromTheCompleteStoredObject() throws Exception {
    fetch(get("/r"), 200, headers("Cache-Control", "max-age=60", "Content-Type", "text/plain"), "0123456789");
    CachedResponse r = hit(get("/r", "Range", "bytes=2-4")).response();
    assertThat(r.status()).isEqualTo(206);
    assertThat(r.headers().get("Content-Range")).isEqualTo("bytes 2-4/10");
    assertThat(r.headers().get("Content-Length")).isEqualTo("3");
    assertThat(body(r)).isEqualTo("234");
  }

  @Test
  void severalRangesAreAnsweredAsMultipartByteranges() throws Exception {
    fetch(get("/m"), 200, headers("Cache-Control", "max-age=60", "Content-Type", "text/plain"), "0123456789");
    CachedResponse r = hit(get("/m", "Range", "bytes=0-1,8-")).response();
    assertThat(r.status()).isEqualTo(206);
    String type = r.headers().get("Content-Type");
    assertThat(type).startsWith("multipart/byteranges; boundary=");
    String boundary = type.substring(type.indexOf('=') + 1);
    String b = body(r);
    assertThat(b).isEqualTo("\r\n--" + boundary + "\r\nContent-Type: text/plain\r\nContent-Range: bytes 0-1/10\r\n\r\n01"
        + "\r\n--" + boundary + "\r\nContent-Type: text/plain\r\nContent-Range: bytes 8-9/10\r\n\r\n89"
        + "\r\n--" + boundary + "--\r\n");
    assertThat(r.headers().get("Content-Length")).isEqualTo(Integer.toString(b.getBytes(StandardCharsets.US_ASCII).length));
  }

  @Test
  void anUnsatisfiableRangeIs416() {
    fetch(get("/u"), 200, headers("Cache-Control", "max-age=60"), "0123");
    CachedResponse r = hit(get("/u", "Range", "bytes=10-")).response();
    assertThat(r.status()).isEqualTo(416);
    assertThat(r.headers().get("Content-Range")).isEqualTo("bytes */4");
  }

  @Test
  void onlyIfCachedWithNothingStoredIs504() {
    Lookup l = cache.lookup(zone, get("/none", "Cache-Control", "only-if-cached"));
    assertThat(l).isInstanceOf(Lookup.Refused.class);
    assertThat(((Lookup.Refused) l).response().status()).isEqualTo(504);
  }

  @Test
  void varyMakesSecondaryKeys() throws Exception {
    fetch(get("/v", "Accept-Encoding", "gzip"), 200, headers("Cache-Control", "max-age=60", "Vary", "Accept-Encoding"), "zipped");
    assertThat(body(hit(get("/v", "Accept-Encoding", "gzip")).response())).isEqualTo("zipped");
    Lookup other = cache.lookup(zone, get("/v", "Accept-Encoding", "br"));
    assertThat(other).isInstanceOf(Lookup.Miss.class);
    var d = (ResponseDecision.Forward) answer(((Lookup.Miss) other).fetch(), 200,
        headers("Cache-Control", "max-age=60", "Vary", "Accept-Encoding"), "brotli");
    assertThat(d.visitorHeaders().get("Cache-Status")).contains("fwd=vary-miss");
    assertThat(body(hit(get("/v", "Accept-Encoding", "br")).response())).isEqualTo("brotli");
    assertThat(body(hit(get("/v", "Accept-Encoding", "gzip")).response())).isEqualTo("zipped");
  }

  @Test
  void aStaleObjectIsRevalidatedAndTheOrigins304UpdatesTheStoredHeaders() throws Exception {
    fetch(get("/s"), 200, headers("Cache-Control", "max-age=60", "ETag", "\"v1\"", "X-Version", "1"), "old body");
    clock.advance(Duration.ofSeconds(120));
    Lookup l = cache.lookup(zone, get("/s", "If-None-Match", "\"visitor\""));
    assertThat(l).isInstanceOf(Lookup.Miss.class);
    OriginFetch f = ((Lookup.Miss) l).fetch();
    assertThat(f.status()).isEqualTo(EdgeCacheStatus.EXPIRED);
    HttpHeaders upstream = headers("If-None-Match", "\"visitor\"");
    f.prepareOriginRequest(upstream);
    assertThat(upstream.getAll("If-None-Match")).containsExactly("\"v1\"");
    ResponseDecision d = f.responseHead(new ResponseHead(304, headers("Cache-Control", "max-age=300", "ETag", "\"v1\"", "X-Version", "2")));
    CachedResponse served = ((ResponseDecision.ServeStored) d).response();
    assertThat(served.headers().get("Edge-Cache-Status")).isEqualTo("REVALIDATED");
    assertThat(served.headers().get("Cache-Status")).contains("fwd=stale; fwd-status=304");
    assertThat(body(served)).isEqualTo("old body");
    clock.advance(Duration.ofSeconds(200));
    CachedResponse r = hit(get("/s")).response();
    assertThat(r.headers().get("X-Version")).isEqualTo("2");
    assertThat(r.headers().get("Age")).isEqualTo("200");
  }

  @Test
  void aRevalidating304ThatSaysNoCacheMakesEveryLaterRequestAskTheOrigin() throws Exception {
    fetch(get("/n"), 200, headers("Cache-Control", "max-age=60", "ETag", "\"v1\""), "body");
    clock.advance(Duration.ofSeconds(120));
    OriginFetch f = ((Lookup.Miss) cache.lookup(zone, get("/n"))).fetch();
    f.prepareOriginRequest(headers());
    var d = (ResponseDecision.ServeStored) f.responseHead(new ResponseHead(304,
        headers("Cache-Control", "max-age=600, no-cache", "ETag", "\"v1\"")));
    d.response().close();
    clock.advance(Duration.ofSeconds(1)); // fresh for 600 s, but no-cache: the stored facts changed with the head
    Lookup again = cache.lookup(zone, get("/n"));
    assertThat(again).isInstanceOf(Lookup.Miss.class);
    assertThat(((Lookup.Miss) again).fetch().status()).isEqualTo(EdgeCacheStatus.EXPIRED);
  }

  @Test
  void aRevalidating304sLifetimeCountsFromThen() throws Exception {
    fetch(get("/t"), 200, headers("Cache-Control", "max-age=60", "ETag", "\"v1\""), "body");
    clock.advance(Duration.ofSeconds(120));
    OriginFetch f = ((Lookup.Miss) cache.lookup(zone, get("/t"))).fetch();
    f.prepareOriginRequest(headers());
    var d = (ResponseDecision.ServeStored) f.responseHead(new ResponseHead(304,
        headers("Cache-Control", "max-age=300", "ETag", "\"v1\"", "Age", "20")));
    assertThat(d.response().headers().get("Age")).isEqualTo("20");
    d.response().close();
    clock.advance(Duration.ofSeconds(30));
    CachedResponse r = hit(get("/t")).response();
    assertThat(r.headers().get("Age")).isEqualTo("50");
    assertThat(r.headers().get("Cache-Status")).isEqualTo("edgeray-AMS; hit; ttl=250");
  }

  @Test
  void changingOneHitsHeadersLeavesTheStoredHeadAndTheNextHitAlone() throws Exception {
    fetch(get("/h"), 200, headers("Cache-Control", "max-age=60", "ETag", "\"v1\"", "X-Version", "1"), "body");
    CachedResponse first = hit(get("/h")).response();
    first.headers().remove("ETag"); // as the stale banner does
    first.headers().set("X-Version", "changed");
    first.headers().set("Edge-Ray", "8f3a1c0d2b4e6a71-AMS");
    first.close();
    CachedResponse second = hit(get("/h")).response();
    assertThat(second.headers().get("ETag")).isEqualTo("\"v1\"");
    assertThat(second.headers().get("X-Version")).isEqualTo("1");
    assertThat(second.headers().contains("Edge-Ray")).isFalse();
    assertThat(second.headers().getAll("Cache-Status")).containsExactly("edgeray-AMS; hit; ttl=60");
  }

  @Test
  void anExpiredObjectReplacedByTheOriginIsExpiredThenStored() throws Exception {
    fetch(get("/x"), 200, headers("Cache-Control", "max-age=60"), "v1");
    clock.advance(Duration.ofSeconds(61));
    var d = (ResponseDecision.Forward) fetch(get("/x"), 200, headers("Cache-Control", "max-age=60"), "v2");
    assertThat(d.visitorHeaders().get("Edge-Cache-Status")).isEqualTo("EXPIRED");
    assertThat(body(hit(get("/x")).response())).isEqualTo("v2");
  }

  @Test
  void aFailingOriginGetsTheStaleCopyWithStaleStatusAndTheHiddenFailure() throws Exception {
    fetch(get("/p"), 200, headers("Cache-Control", "max-age=60"), "saved copy");
    clock.advance(Duration.ofHours(3));
    OriginFetch f = ((Lookup.Miss) cache.lookup(zone, get("/p"))).fetch();
    Optional<CachedResponse> stale = f.originFailed(new OriginError(521, "connection_refused"));
    assertThat(stale).isPresent();
    CachedResponse r = stale.get();
    assertThat(r.headers().get("Edge-Cache-Status")).isEqualTo("STALE");
    assertThat(r.headers().get("Cache-Status")).contains("hit").contains("detail=\"always-online 521 connection_refused\"");
    assertThat(r.headers().get("Proxy-Status")).isEqualTo("edgeray-AMS; error=connection_refused");
    assertThat(body(r)).isEqualTo("saved copy");
    assertThat(metrics.requests("shop.example", EdgeCacheStatus.STALE)).isEqualTo(1);
  }

  @Test
  void whileTheOriginIsUnreachableAStaleCopyIsServedWithoutTryingItAndOneRequestASecondTriesAgain() throws Exception {
    fetch(get("/a"), 200, headers("Cache-Control", "max-age=60"), "copy a");
    fetch(get("/b"), 200, headers("Cache-Control", "max-age=60"), "copy b");
    clock.advance(Duration.ofHours(1));
    OriginFetch first = ((Lookup.Miss) cache.lookup(zone, get("/a"))).fetch();
    first.forRay("8a3f00000000000a-AMS");
    assertThat(first.originFailed(new OriginError(521, "connection_refused"))).isPresent();
    clock.advance(Duration.ofMillis(300));

    Lookup.OriginDown down = (Lookup.OriginDown) cache.lookup(zone, get("/b")); // another URL of the same host
    assertThat(down.failedRay()).isEqualTo("8a3f00000000000a-AMS");
    assertThat(down.error()).isEqualTo(new OriginError(521, "connection_refused"));
    assertThat(down.notTried()).isEqualTo("origin not tried: it failed 300 ms ago");
    assertThat(down.stale().headers().get("Edge-Cache-Status")).isEqualTo("STALE");
    assertThat(down.stale().headers().get("Cache-Status"))
        .contains("detail=\"always-online 521 connection_refused; origin not tried\"");
    assertThat(down.stale().headers().get("Proxy-Status"))
        .isEqualTo("edgeray-AMS; error=connection_refused; details=\"origin not tried: it failed 300 ms ago\"");
    assertThat(body(down.stale())).isEqualTo("copy b");
    assertThat(metrics.servedStale("shop.example", 521)).isEqualTo(2);

    clock.advance(OriginOutages.RETRY_EVERY);
    OriginFetch probe = ((Lookup.Miss) cache.lookup(zone, get("/a"))).fetch(); // a second on: this one tries
    assertThat(cache.lookup(zone, get("/b"))).isInstanceOf(Lookup.OriginDown.class); // the others still do not
    answer(probe, 200, headers("Cache-Control", "max-age=60"), "copy a, again");
    assertThat(cache.lookup(zone, get("/b"))).isInstanceOf(Lookup.Miss.class); // the origin answered: it is up
  }

  @Test
  void aRequestWithoutAStaleCopyStillTriesAnUnreachableOrigin() {
    fetch(get("/a"), 200, headers("Cache-Control", "max-age=60"), "copy a");
    clock.advance(Duration.ofHours(1));
    ((Lookup.Miss) cache.lookup(zone, get("/a"))).fetch().originFailed(new OriginError(522, "connection_timeout"));
    assertThat(cache.lookup(zone, get("/never-stored"))).isInstanceOf(Lookup.Miss.class);
    assertThat(cache.lookup(zone, new CacheRequest("shop.example", "GET", "https", "other.shop.example", "/a",
        headers()))).isInstanceOf(Lookup.Miss.class); // another host of the zone: its origin may be up
  }

  @Test
  void aBadOrLateAnswerIsOneUrlsFailureAndLaterRequestsStillTryTheOrigin() {
    fetch(get("/a"), 200, headers("Cache-Control", "max-age=60"), "copy a");
    fetch(get("/b"), 200, headers("Cache-Control", "max-age=60"), "copy b");
    clock.advance(Duration.ofHours(1));
    ((Lookup.Miss) cache.lookup(zone, get("/a"))).fetch().originFailed(new OriginError(524, "connection_read_timeout"));
    assertThat(cache.lookup(zone, get("/b"))).isInstanceOf(Lookup.Miss.class);
  }

  @Test
  void noStaleCopyOutsideTheAlwaysOnlineWindow() {
    fetch(get("/p"), 200, headers("Cache-Control", "max-age=60"), "saved copy");
    clock.advance(Duration.ofDays(3));
    OriginFetch f = ((Lookup.Miss) cache.lookup(zone, get("/p"))).fetch();
    assertThat(f.originFailed(new OriginError(522, "connection_timeout"))).isEmpty();
  }

  @Test
  void staleWhileRevalidateServesUpdatingAndHandsOutOneBackgroundRefresh() throws Exception {
    fetch(get("/w"), 200, headers("Cache-Control", "max-age=60, stale-while-revalidate=60"), "v1");
    clock.advance(Duration.ofSeconds(90));
    Lookup.Hit first = hit(get("/w"));
    assertThat(first.response().headers().get("Edge-Cache-Status")).isEqualTo("UPDATING");
    assertThat(first.refresh()).isPresent();
    assertThat(hit(get("/w")).refresh()).isEmpty(); // one refresh at a time
    answer(first.refresh().get(), 200, headers("Cache-Control", "max-age=60"), "v2");
    assertThat(body(hit(get("/w")).response())).isEqualTo("v2");
  }

  @Test
  void concurrentMissesCollapseIntoOneFetchAndTheOthersAreServedFromIt() throws Exception {
    Lookup first = cache.lookup(zone, get("/c"));
    Lookup second = cache.lookup(zone, get("/c"));
    Lookup third = cache.lookup(zone, get("/c"));
    assertThat(first).isInstanceOf(Lookup.Miss.class);
    assertThat(second).isInstanceOf(Lookup.Collapsed.class);
    var waiting = List.of(((Lookup.Collapsed) second).result(), ((Lookup.Collapsed) third).result());
    assertThat(waiting).noneMatch(java.util.concurrent.CompletableFuture::isDone);
    answer(((Lookup.Miss) first).fetch(), 200, headers("Cache-Control", "max-age=60"), "one fetch");
    for (var w : waiting) {
      Lookup.Hit h = (Lookup.Hit) w.getNow(null);
      assertThat(h.response().headers().get("Cache-Status")).isEqualTo("edgeray-AMS; hit; ttl=60; collapsed");
      assertThat(body(h.response())).isEqualTo("one fetch");
    }
  }

  @Test
  void afterAnUnstorableAnswerConcurrentRequestsForThatUrlDoNotWaitForEachOther() {
    fetch(get("/live"), 200, headers("Content-Type", "application/json"), "{}"); // no freshness, no validators
    assertThat(cache.lookup(zone, get("/live"))).isInstanceOf(Lookup.Miss.class);
    assertThat(cache.lookup(zone, get("/live"))).isInstanceOf(Lookup.Miss.class);
    assertThat(cache.collapsedWaiting()).isZero();
    clock.advance(HttpCache.UNCACHEABLE_MEMORY.plusSeconds(1));
    Lookup leader = cache.lookup(zone, get("/live"));
    assertThat(cache.lookup(zone, get("/live"))).isInstanceOf(Lookup.Collapsed.class); // remembered for a while only
    assertThat(cache.collapsedWaiting()).isEqualTo(1);
    ((Lookup.Miss) leader).fetch().abandon();
    assertThat(cache.collapsedWaiting()).isZero();
  }

  @Test
  void aUrlThatBecomesStorableCollapsesAgainOnceStored() {
    fetch(get("/page"), 200, headers("Content-Type", "application/json"), "{}");
    fetch(get("/page"), 200, headers("Cache-Control", "max-age=1"), "now cacheable");
    clock.advance(Duration.ofSeconds(5));
    Lookup leader = cache.lookup(zone, get("/page"));
    assertThat(leader).isInstanceOf(Lookup.Miss.class);
    assertThat(cache.lookup(zone, get("/page"))).isInstanceOf(Lookup.Collapsed.class);
    ((Lookup.Miss) leader).fetch().abandon();
  }

  @Test
  void aFailedFetchWakesTheCollapsedRequestsWithTheFailure() {
    Lookup first = cache.lookup(zone, get("/f"));
    var waiting = ((Lookup.Collapsed) cache.lookup(zone, get("/f"))).result();
    ((Lookup.Miss) first).fetch().originFailed(new OriginError(521, "connection_refused"));
    Lookup.OriginFailed failed = (Lookup.OriginFailed) waiting.getNow(null);
    assertThat(failed.error().status()).isEqualTo(521);
    assertThat(failed.stale()).isEmpty();
  }

  @Test
  void aFailedFetchGivesTheCollapsedRequestsTheStaleCopy() {
    fetch(get("/g"), 200, headers("Cache-Control", "max-age=60"), "saved");
    clock.advance(Duration.ofMinutes(5));
    Lookup first = cache.lookup(zone, get("/g"));
    var waiting = ((Lookup.Collapsed) cache.lookup(zone, get("/g"))).result();
    ((Lookup.Miss) first).fetch().originFailed(new OriginError(523, "destination_ip_unroutable"));
    Lookup.OriginFailed failed = (Lookup.OriginFailed) waiting.getNow(null);
    assertThat(failed.stale()).isPresent();
    assertThat(failed.stale().get().headers().get("Cache-Status")).contains("collapsed");
  }

  @Test
  void aResponseThatCannotBeStoredSendsTheCollapsedRequestsToTheOriginThemselves() {
    Lookup first = cache.lookup(zone, get("/n"));
    var waiting = ((Lookup.Collapsed) cache.lookup(zone, get("/n"))).result();
    answer(((Lookup.Miss) first).fetch(), 200, headers("Cache-Control", "private"), "mine");
    assertThat(waiting.getNow(null)).isInstanceOf(Lookup.Miss.class);
  }

  @Test
  void collapsedRequestsAreReleasedWhenTheFetchTakesTooLong() {
    cache.lookup(zone, get("/slow"));
    var waiting = ((Lookup.Collapsed) cache.lookup(zone, get("/slow"))).result();
    timer.advance(Duration.ofSeconds(5));
    assertThat(waiting.getNow(null)).isInstanceOf(Lookup.Miss.class);
  }

  @Test
  void aBodyShorterThanItsContentLengthIsNeverStored() {
    Lookup.Miss m = (Lookup.Miss) cache.lookup(zone, get("/t"));
    var d = (ResponseDecision.Forward) m.fetch().responseHead(new ResponseHead(200, headers("Cache-Control", "max-age=60",
        "Content-Length", "100")));
    d.writer().get().append(new byte[50]);
    assertThat(d.writer().get().commit()).isFalse();
    assertThat(cache.lookup(zone, get("/t"))).isInstanceOf(Lookup.Miss.class);
    assertThat(metrics.storeFailures("truncated")).isEqualTo(1);
  }

  @Test
  void aBodyOverTheObjectLimitIsNotStored() {
    zone = new CacheSettings(true, true, Duration.ofHours(2), null, null, 10, CacheKeySettings.DEFAULTS, Duration.ZERO,
        Duration.ZERO, List.of());
    var d = (ResponseDecision.Forward) ((Lookup.Miss) cache.lookup(zone, get("/big"))).fetch()
        .responseHead(new ResponseHead(200, headers("Cache-Control", "max-age=60")));
    assertThat(d.writer().get().append(new byte[11])).isFalse();
    assertThat(d.writer().get().commit()).isFalse();
    assertThat(cache.lookup(zone, get("/big"))).isInstanceOf(Lookup.Miss.class);
  }

  @Test
  void anUnsafeRequestInvalidatesTheStoredUrlAndItsLocation() {
    fetch(get("/cart"), 200, headers("Cache-Control", "max-age=60"), "cart");
    fetch(get("/cart/7"), 200, headers("Cache-Control", "max-age=60"), "item");
    fetch(get("/other"), 200, headers("Cache-Control", "max-age=60"), "other");
    Lookup post = cache.lookup(zone, request("POST", "/cart"));
    assertThat(post).isInstanceOf(Lookup.Bypass.class);
    ((Lookup.Bypass) post).fetch().responseHead(new ResponseHead(201, headers("Location", "/cart/7")));
    assertThat(cache.lookup(zone, get("/cart"))).isInstanceOf(Lookup.Miss.class);
    assertThat(cache.lookup(zone, get("/cart/7"))).isInstanceOf(Lookup.Miss.class);
    assertThat(cache.lookup(zone, get("/other"))).isInstanceOf(Lookup.Hit.class);
  }

  @Test
  void aStoredResponseIsNotServedToAnotherVisitorsAuthorization() {
    fetch(get("/acct"), 200, headers("Cache-Control", "max-age=60"), "public page");
    Lookup l = cache.lookup(zone, get("/acct", "Authorization", "Basic eDp5"));
    assertThat(l).isInstanceOf(Lookup.Bypass.class);
    assertThat(((Lookup.Bypass) l).reason()).isEqualTo("authorization");
  }

  @Test
  void aSetCookieResponseStoredByARuleNeverHandsTheCookieToOthers() {
    zone = CacheSettings.DEFAULTS.withRules(List.of(new CacheRule(null, "/promo*", false, false, null, null, true)));
    fetch(get("/promo"), 200, headers("Cache-Control", "max-age=60", "Set-Cookie", "session=alice"), "promo");
    assertThat(hit(get("/promo")).response().headers().contains("Set-Cookie")).isFalse();
  }

  @Test
  void unkeyedHeadersAreNotForwardedOnCacheableRequests() {
    OriginFetch f = ((Lookup.Miss) cache.lookup(zone, get("/k"))).fetch();
    HttpHeaders upstream = headers("X-Forwarded-Host", "evil.example", "X-Original-URL", "/admin", "Accept", "*/*");
    f.prepareOriginRequest(upstream);
    assertThat(upstream.contains("X-Forwarded-Host")).isFalse();
    assertThat(upstream.contains("X-Original-URL")).isFalse();
    assertThat(upstream.get("Accept")).isEqualTo("*/*");
  }

  @Test
  void aBypassRuleAndTheCacheOffNeverStore() {
    zone = CacheSettings.DEFAULTS.withRules(List.of(new CacheRule(null, "/admin/*", true, false, null, null, false)));
    var d = (ResponseDecision.Forward) fetch(get("/admin/x"), 200, headers("Cache-Control", "max-age=60"), "x");
    assertThat(d.writer()).isEmpty();
    assertThat(d.visitorHeaders().get("Edge-Cache-Status")).isEqualTo("BYPASS");
    zone = CacheSettings.DISABLED;
    assertThat(cache.lookup(zone, get("/a"))).isInstanceOf(Lookup.Bypass.class);
  }

  @Test
  void aResponseWithoutFreshnessIsDynamic() {
    var d = (ResponseDecision.Forward) fetch(get("/api"), 200, headers("Content-Type", "application/json"), "{}");
    assertThat(d.visitorHeaders().get("Edge-Cache-Status")).isEqualTo("DYNAMIC");
    assertThat(d.visitorHeaders().get("Cache-Status")).contains("detail=\"no freshness\"");
  }

  @Test
  void aBrowserTtlReplacesTheCacheControlVisitorsSee() {
    zone = new CacheSettings(true, true, Duration.ofHours(2), null, Duration.ofMinutes(5), 1 << 20, CacheKeySettings.DEFAULTS,
        Duration.ZERO, Duration.ZERO, List.of());
    var d = (ResponseDecision.Forward) fetch(get("/b"), 200, headers("Cache-Control", "max-age=3600"), "b");
    assertThat(d.visitorHeaders().get("Cache-Control")).isEqualTo("max-age=300");
    assertThat(hit(get("/b")).response().headers().get("Cache-Control")).isEqualTo("max-age=300");
  }

  @Test
  void purgeByFilePrefixTagAndEverythingTakesEffectBeforeItReturns() {
    fetch(get("/a.css"), 200, headers("Cache-Control", "max-age=60"), "a");
    fetch(get("/img/1.png"), 200, headers("Cache-Control", "max-age=60"), "1");
    fetch(get("/img/2.png"), 200, headers("Cache-Control", "max-age=60"), "2");
    fetch(get("/p/42"), 200, headers("Cache-Control", "max-age=60", "Cache-Tag", "product-42, catalog"), "42");
    fetch(get("/keep"), 200, headers("Cache-Control", "max-age=60"), "k");
    assertThat(cache.purge("shop.example", Purge.files("https://shop.example/a.css"))).isEqualTo(1);
    assertThat(cache.lookup(zone, get("/a.css"))).isInstanceOf(Lookup.Miss.class);
    assertThat(cache.purge("shop.example", Purge.prefixes("shop.example/img/"))).isEqualTo(2);
    assertThat(cache.lookup(zone, get("/img/2.png"))).isInstanceOf(Lookup.Miss.class);
    assertThat(cache.purge("shop.example", Purge.tags("Product-42"))).isEqualTo(1);
    assertThat(cache.lookup(zone, get("/p/42"))).isInstanceOf(Lookup.Miss.class);
    assertThat(cache.purge("other.example", Purge.everythingInZone())).isZero();
    assertThat(cache.lookup(zone, get("/keep"))).isInstanceOf(Lookup.Hit.class);
    assertThat(cache.purge("shop.example", Purge.everythingInZone())).isEqualTo(1);
    assertThat(cache.lookup(zone, get("/keep"))).isInstanceOf(Lookup.Miss.class);
  }

  @Test
  void aResponseStillArrivingWhenAPurgeCoversItIsNotStored() {
    Lookup.Miss m = (Lookup.Miss) cache.lookup(zone, get("/late"));
    var d = (ResponseDecision.Forward) m.fetch().responseHead(new ResponseHead(200, headers("Cache-Control", "max-age=60")));
    d.writer().get().append(new byte[] {1, 2, 3});
    cache.purge("shop.example", Purge.files("https://shop.example/late"));
    assertThat(d.writer().get().commit()).isFalse();
    assertThat(cache.lookup(zone, get("/late"))).isInstanceOf(Lookup.Miss.class);
  }

  @Test
  void purgeByFileNormalizesTheQueryAsTheZoneKeysIt() {
    zone = new CacheSettings(true, true, Duration.ofHours(2), null, null, 1 << 20,
        new CacheKeySettings(CacheKeySettings.QueryMode.SORT, List.of(), List.of()), Duration.ZERO, Duration.ZERO, List.of());
    fetch(get("/q?b=2&a=1"), 200, headers("Cache-Control", "max-age=60"), "q");
    assertThat(cache.purge("shop.example", zone, Purge.files("https://shop.example/q?a=1&b=2"))).isEqualTo(1);
  }

  @Test
  void gzipBodiesComeBackUnchangedPerAcceptEncodingVariant() throws Exception {
    byte[] plain = new byte[200_000];
    new java.util.Random(11).nextBytes(plain);
    var zipped = new java.io.ByteArrayOutputStream();
    try (var gz = new java.util.zip.GZIPOutputStream(zipped)) {
      gz.write(plain);
    }
    byte[] gzip = zipped.toByteArray();
    for (var v : List.of(List.of("gzip", gzip, "gzip"), List.of("identity", plain, "identity"))) {
      OriginFetch f = ((Lookup.Miss) cache.lookup(zone, get("/z", "Accept-Encoding", (String) v.get(0)))).fetch();
      byte[] body = (byte[]) v.get(1);
      var d = (ResponseDecision.Forward) f.responseHead(new ResponseHead(200, headers("Cache-Control", "max-age=60",
          "Vary", "Accept-Encoding", "Content-Encoding", (String) v.get(2), "Content-Length", Integer.toString(body.length))));
      for (int off = 0; off < body.length; off += 8192) d.writer().get().append(body, off, Math.min(8192, body.length - off));
      assertThat(d.writer().get().commit()).isTrue();
    }
    try (BodyStream s = hit(get("/z", "Accept-Encoding", "gzip")).response().body()) {
      assertThat(s.readAll()).isEqualTo(gzip);
    }
    try (BodyStream s = hit(get("/z", "Accept-Encoding", "identity")).response().body()) {
      assertThat(s.readAll()).isEqualTo(plain);
    }
    assertThat(hit(get("/z", "Accept-Encoding", "gzip")).response().headers().get("Content-Encoding")).isEqualTo("gzip");
  }

  @Test
  void aHeadMissDoesNotMakeGetsWaitForIt() {
    cache.lookup(zone, request("HEAD", "/hd"));
    assertThat(cache.lookup(zone, get("/hd"))).isInstanceOf(Lookup.Miss.class);
  }

  @Test
  void concurrentLookupsFromManyThreadsMakeOneFetchAndAllAreServed() throws Exception {
    int n = 12;
    var pool = java.util.concurrent.Executors.newFixedThreadPool(n);
    try {
      var start = new java.util.concurrent.CyclicBarrier(n);
      List<java.util.concurrent.Future<Lookup>> futures = new java.util.ArrayList<>();
      for (int i = 0; i < n; i++) {
        futures.add(pool.submit(() -> {
          start.await();
          return cache.lookup(zone, get("/hot"));
        }));
      }
      List<Lookup> lookups = new java.util.ArrayList<>();
      for (var f : futures) lookups.add(f.get(10, java.util.concurrent.TimeUnit.SECONDS));
      List<Lookup.Miss> misses = lookups.stream().filter(l -> l instanceof Lookup.Miss).map(l -> (Lookup.Miss) l).toList();
      assertThat(misses).hasSize(1);
      answer(misses.get(0).fetch(), 200, headers("Cache-Control", "max-age=60"), "hot");
      for (Lookup l : lookups) {
        if (l instanceof Lookup.Collapsed c) {
          Lookup.Hit h = (Lookup.Hit) c.result().get(10, java.util.concurrent.TimeUnit.SECONDS);
          assertThat(body(h.response())).isEqualTo("hot");
        }
      }
      assertThat(cache.fetchesInFlight()).isZero();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theOriginsOwn503IsReplacedByTheStoredCopyOnlyWithStaleIfError() throws Exception {
    fetch(get("/sie"), 200, headers("Cache-Control", "max-age=60, stale-if-error=600"), "good");
    fetch(get("/plain"), 200, headers("Cache-Control", "max-age=60"), "good");
    clock.advance(Duration.ofSeconds(120));
    OriginFetch f = ((Lookup.Miss) cache.lookup(zone, get("/sie"))).fetch();
    var d = (ResponseDecision.ServeStored) f.responseHead(new ResponseHead(503, headers("Content-Length", "0")));
    assertThat(d.response().headers().get("Edge-Cache-Status")).isEqualTo("STALE");
    assertThat(d.response().headers().get("Cache-Status")).contains("detail=\"stale-if-error 503\"");
    assertThat(body(d.response())).isEqualTo("good");
    OriginFetch g = ((Lookup.Miss) cache.lookup(zone, get("/plain"))).fetch();
    assertThat(g.responseHead(new ResponseHead(503, headers("Content-Length", "0")))).isInstanceOf(ResponseDecision.Forward.class);
  }

  @Test
  void aGetForAnObjectStillArrivingStreamsWhatIsThereAndWaitsForTheRest() throws Exception {
    OriginFetch f = ((Lookup.Miss) cache.lookup(zone, get("/live"))).fetch();
    EntryWriter w = ((ResponseDecision.Forward) f.responseHead(new ResponseHead(200,
        headers("Cache-Control", "max-age=60", "Content-Length", "8")))).writer().orElseThrow();
    w.append("half".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

    Lookup.Hit follower = hit(get("/live"));
    assertThat(follower.response().headers().get("Content-Length")).isEqualTo("8");
    assertThat(follower.response().headers().get("Cache-Status")).contains("collapsed");
    BodyStream body = follower.response().body();
    io.netty.buffer.ByteBuf first = body.next(io.netty.buffer.UnpooledByteBufAllocator.DEFAULT);
    assertThat(first.toString(java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("half");
    first.release();
    assertThat(body.next(io.netty.buffer.UnpooledByteBufAllocator.DEFAULT)).isSameAs(io.edgeray.phase.Chunks.NOT_YET);
    java.util.concurrent.atomic.AtomicInteger woken = new java.util.concurrent.atomic.AtomicInteger();
    body.onMore(woken::incrementAndGet);
    assertThat(woken).hasValue(0);

    w.append("done".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    assertThat(woken).hasValue(1);
    io.netty.buffer.ByteBuf second = body.next(io.netty.buffer.UnpooledByteBufAllocator.DEFAULT);
    assertThat(second.toString(java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("done");
    second.release();
    assertThat(body.next(io.netty.buffer.UnpooledByteBufAllocator.DEFAULT)).isSameAs(io.edgeray.phase.Chunks.NOT_YET);
    assertThat(w.commit()).isTrue();
    assertThat(body.next(io.netty.buffer.UnpooledByteBufAllocator.DEFAULT)).isNull();
    body.close();
    assertThat(hit(get("/live")).response().headers().get("Cache-Status")).doesNotContain("collapsed");
  }

  @Test
  void aFollowerOfAWriteThatBreaksOffFailsInsteadOfEndingShort() throws Exception {
    OriginFetch f = ((Lookup.Miss) cache.lookup(zone, get("/cut"))).fetch();
    EntryWriter w = ((ResponseDecision.Forward) f.responseHead(new ResponseHead(200,
        headers("Cache-Control", "max-age=60", "Content-Length", "8")))).writer().orElseThrow();
    w.append(new byte[3]);
    BodyStream body = hit(get("/cut")).response().body();
    body.next(io.netty.buffer.UnpooledByteBufAllocator.DEFAULT).release();

    w.abandon();

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> body.next(io.netty.buffer.UnpooledByteBufAllocator.DEFAULT))
        .isInstanceOf(java.io.IOException.class).hasMessageContaining("broke off");
    assertThat(cache.lookup(zone, get("/cut"))).isInstanceOf(Lookup.Miss.class);
  }
}
