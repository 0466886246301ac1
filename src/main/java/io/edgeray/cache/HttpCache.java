package io.edgeray.cache;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The edge's shared HTTP cache (RFC 9111), behind the few calls the engine's phases make:
 *
 * <pre>
 *   cache lookup      Lookup l = cache.lookup(zone.features().get(CacheSettings.class, CacheSettings.DEFAULTS), request)
 *                       Hit        → send l.response() (and run l.refresh() in the background if present)
 *                       Refused    → send l.response() (504 only-if-cached)
 *                       Collapsed  → l.result().whenCompleteAsync(continue with the Lookup it gives, eventLoop)
 *                       Miss, Bypass → go to the origin with l.fetch():
 *   upstream request    fetch.prepareOriginRequest(upstreamHeaders)
 *   response head       ResponseDecision d = fetch.responseHead(new ResponseHead(status, originHeaders))
 *                       Forward     → d.applyTo(visitorHeaders); every body chunk to d.writer() (append, commit)
 *                       ServeStored → send d.response() instead (the origin's 304 has no body)
 *   fail to proxy       Optional&lt;CachedResponse&gt; stale = fetch.originFailed(new OriginError(521, "connection_refused"))
 *   admin               cache.purge(zoneName, Purge.tags("product-42"))
 * </pre>
 *
 * <p>Everything is non-blocking except disk reads and writes of the disk tier, which happen on
 * the calling thread (page-cache writes; the first read of an entry after a restart reads it
 * whole once to check its checksum). The pure RFC decisions live in {@link Storability},
 * {@link Freshness}, {@link ServePolicy}, {@link Conditionals}, {@link ByteRanges},
 * {@link Invalidation} and {@link AlwaysOnline}; this class only wires them to storage.
 */
public final class HttpCache {
  /** How long collapsed requests wait for the one fetching, at most (nginx's proxy_cache_lock_timeout is 5 s). */
  public static final Duration DEFAULT_COLLAPSE_WAIT = Duration.ofSeconds(5);
  static final int MAX_FOLLOWERS = 10_000;
  /**
   * How long a URL whose answer was not storable is fetched without collapsing (Varnish's
   * hit-for-miss): concurrent requests to a dynamic page do not wait for each other's heads.
   */
  static final Duration UNCACHEABLE_MEMORY = Duration.ofMinutes(2);
  private static final int UNCACHEABLE_MAX = 100_000;
  /** A GET with none of these is a plain one, which may stream an object still arriving. */
  private static final List<String> NOT_PLAIN =
      List.of("Range", "If-None-Match", "If-Modified-Since", "If-Match", "If-Unmodified-Since", "If-Range");

  /** How a fetch that others waited for ended. */
  sealed interface FlightOutcome {
    FlightOutcome STORED = new Stored();
    FlightOutcome NOT_STORED = new NotStored();
    FlightOutcome TIMED_OUT = new TimedOut();
    FlightOutcome HEAD_ARRIVED = new HeadArrived();

    record Stored() implements FlightOutcome {}

    record NotStored() implements FlightOutcome {}

    record TimedOut() implements FlightOutcome {}

    /** The head came and the body is being stored: followers stream it as it arrives. */
    record HeadArrived() implements FlightOutcome {}

    record Failed(OriginError error) implements FlightOutcome {}
  }

  /** An object whose body is still arriving; {@code done} completes when its write ends either way. */
  private record InProgress(EntryMeta meta, CacheStorage.Pending pending, long expected, EntryWriter writer,
      CompletableFuture<Void> done) {
    boolean matches(HttpHeaders request) {
      return meta.varyValues().equals(VaryKey.values(meta.varyNames(), request));
    }
  }

  private final CacheStorage storage;
  private final CacheMetrics metrics;
  private final Clock clock;
  private final String node;
  private final RequestCollapser<FlightOutcome> collapser;
  /** primary key → the header names its responses vary on */
  private final ConcurrentHashMap<String, List<String>> varyIndex = new ConcurrentHashMap<>();
  private final PurgeIndex purges;
  /** primary key → until when its requests are not collapsed: its last answer was not storable */
  private final ConcurrentHashMap<String, Instant> uncacheable = new ConcurrentHashMap<>();
  /** primary key → the object of that URL being stored right now */
  private final ConcurrentHashMap<String, InProgress> inProgress = new ConcurrentHashMap<>();
  private final RefreshTokens refreshes;
  private final OriginOutages outages = new OriginOutages();
  private final RequestCollapser.Timer timer;
  private final Duration collapseWait;

  public HttpCache(CacheStorage storage, CacheMetrics metrics, Clock clock, String node, RequestCollapser.Timer timer,
      Duration collapseWait) {
    this.storage = storage;
    this.metrics = metrics;
    this.clock = clock;
    this.node = node;
    this.collapser = new RequestCollapser<>(timer, collapseWait, MAX_FOLLOWERS, () -> FlightOutcome.TIMED_OUT);
    this.timer = timer;
    this.collapseWait = collapseWait;
    this.purges = new PurgeIndex(storage);
    this.refreshes = new RefreshTokens(timer, collapseWait);
    storage.heads().forEach(this::index);
  }

  /** A cache on the system clock, collapsing for at most 5 s. */
  public static HttpCache create(CacheStorage storage, CacheMetrics metrics, String node) {
    return new HttpCache(storage, metrics, Clock.systemUTC(), node, RequestCollapser.Timer.system(), DEFAULT_COLLAPSE_WAIT);
  }

  String node() {
    return node;
  }

  CacheMetrics metrics() {
    return metrics;
  }

  public CacheStorage storage() {
    return storage;
  }

  /** Requests waiting on a fetch right now, by key (for tests and the admin view). */
  public int fetchesInFlight() {
    return collapser.inFlight();
  }

  /** Requests collapsed behind another's fetch, waiting right now (for tests and the admin view). */
  public int collapsedWaiting() {
    return collapser.following();
  }

  // ---------------------------------------------------------------- cache lookup

  public Lookup lookup(CacheSettings zone, CacheRequest request) {
    return lookup(zone, request, true, true);
  }

  /**
   * @param mayCollapse false after a collapsed wait: go to the origin rather than wait again
   * @param mayAwaitArrival false after waiting for an arriving object to be complete
   */
  private Lookup lookup(CacheSettings zone, CacheRequest req, boolean mayCollapse, boolean mayAwaitArrival) {
    Instant now = clock.instant();
    CacheRule rule = zone.ruleFor(req.host(), req.path());
    CacheKey key = CacheKey.of(req, zone.cacheKey());
    StoreDecision allowed = Storability.lookupAllowed(req.method(), req.headers(), zone, rule);
    if (!allowed.store()) {
      String fwd = allowed.status() == EdgeCacheStatus.DYNAMIC ? "method" : "bypass";
      return new Lookup.Bypass(fetch(zone, rule, req, key, null, false, fwd, allowed.status(), allowed.reason(), null, now),
          allowed.reason());
    }
    CacheControl reqCc = ServePolicy.requestDirectives(req.headers());
    List<String> names = varyIndex.getOrDefault(key.primary(), List.of());
    List<String> values = VaryKey.values(names, req.headers());
    String storageKey = VaryKey.storageKey(key.primary(), names, values);
    EntryMeta meta = storage.peek(storageKey);
    if (meta != null && !meta.varyValues().equals(meta.varyNames().equals(names) ? values
        : VaryKey.values(meta.varyNames(), req.headers()))) {
      meta = null;
    }
    if (meta != null && req.headers().contains(HttpHeaderNames.AUTHORIZATION)) {
      if (!sharedDespiteAuthorization(meta)) {
        return new Lookup.Bypass(fetch(zone, rule, req, key, null, true, "request", EdgeCacheStatus.BYPASS, "authorization",
            null, now), "authorization"); // §3.5: not served to another visitor's credentials
      }
    }
    boolean store = !reqCc.has("no-store");
    if (meta != null) {
      ServePolicy.Evaluation e = ServePolicy.evaluate(meta, req.headers(), now, zone, rule);
      if (e.servable()) {
        CacheStorage.Found found = storage.open(storageKey);
        if (found != null) {
          boolean updating = e.verdict() == ServePolicy.Verdict.STALE_WHILE_REVALIDATE;
          EdgeCacheStatus edge = updating ? EdgeCacheStatus.UPDATING : EdgeCacheStatus.HIT;
          CacheStatus cs = new CacheStatus(node, edge, true, null, 0, e.ttlSeconds(), false, !mayCollapse, null);
          Optional<OriginFetch> refresh = Optional.empty();
          if (updating) {
            var ticket = collapser.join(storageKey);
            if (ticket instanceof RequestCollapser.Leader<FlightOutcome> leader) {
              refresh = Optional.of(fetch(zone, rule, background(req), key, meta, true, "stale", EdgeCacheStatus.EXPIRED,
                  null, leader.flight(), now));
            }
          }
          metrics.request(req.zone(), edge);
          return new Lookup.Hit(serve(found, req, cs, e.age(), zone, rule), refresh);
        }
        meta = null; // corrupt on disk: gone now, a miss
      }
    }
    InProgress arriving = inProgress.get(key.primary());
    if (arriving != null && store && arriving.matches(req.headers())) {
      Lookup follow = follow(zone, rule, req, arriving, now, mayAwaitArrival);
      if (follow != null) return follow;
    }
    if (reqCc.has("only-if-cached")) {
      CacheStatus cs = new CacheStatus(node, EdgeCacheStatus.MISS, false, meta == null ? "uri-miss" : "stale", 0, null, false,
          false, "only-if-cached");
      metrics.request(req.zone(), EdgeCacheStatus.MISS);
      return new Lookup.Refused(ResponseBuilder.gatewayTimeout(cs));
    }
    if (meta != null) {
      OriginOutages.Outage down = outages.skipFor(req.host(), now.toEpochMilli());
      if (down != null) {
        String notTried = down.notTried(now.toEpochMilli());
        Optional<CachedResponse> stale = staleCopy(meta, zone, rule, req, down.error(), false, notTried, now); // a GET or HEAD here
        if (stale.isPresent()) return new Lookup.OriginDown(down.error(), stale.get(), down.ray(), notTried);
      }
    }
    String fwd;
    EdgeCacheStatus edge;
    if (meta != null) {
      ServePolicy.Evaluation e = ServePolicy.evaluate(meta, req.headers(), now, zone, rule);
      fwd = e.fwd();
      edge = EdgeCacheStatus.EXPIRED;
    } else {
      fwd = names.isEmpty() ? "uri-miss" : "vary-miss"; // variants of this URL are stored, not this one
      edge = EdgeCacheStatus.MISS;
    }
    if (!mayCollapse || !store || req.isHead()) { // a HEAD stores nothing, so nobody should wait for it
      return new Lookup.Miss(fetch(zone, rule, req, key, meta, store, fwd, edge, null, null, now));
    }
    Instant passUntil = uncacheable.get(key.primary());
    if (passUntil != null && passUntil.isAfter(now)) { // its last answer was not storable: nobody waits for this one
      return new Lookup.Miss(fetch(zone, rule, req, key, meta, store, fwd, edge, null, null, now));
    }
    var ticket = collapser.join(storageKey);
    if (ticket instanceof RequestCollapser.Leader<FlightOutcome> leader) {
      return new Lookup.Miss(fetch(zone, rule, req, key, meta, store, fwd, edge, null, leader.flight(), now));
    }
    if (ticket instanceof RequestCollapser.Follower<FlightOutcome> follower) {
      CompletableFuture<Lookup> result = follower.outcome().thenApply(outcome -> afterWait(zone, rule, key, req, outcome));
      return new Lookup.Collapsed(result);
    }
    return new Lookup.Miss(fetch(zone, rule, req, key, meta, store, fwd, edge, null, null, now));
  }

  /**
   * A request for an object still arriving: a plain GET streams it as it comes (another visitor
   * downloading it does not wait for the end); a HEAD, range or conditional waits for it to be
   * complete (bounded by the collapse wait). Null: not for this request, go on as without it.
   */
  private Lookup follow(CacheSettings zone, CacheRule rule, CacheRequest req, InProgress arriving, Instant now,
      boolean mayAwait) {
    if (req.headers().contains("Authorization") && !sharedDespiteAuthorization(arriving.meta())) return null;
    ServePolicy.Evaluation e = ServePolicy.evaluate(arriving.meta(), req.headers(), now, zone, rule);
    if (!e.servable()) return null;
    if (plainGet(req)) {
      StoredBody body = arriving.pending().follow();
      if (body != null) {
        CacheStatus cs = new CacheStatus(node, EdgeCacheStatus.HIT, true, null, 0, e.ttlSeconds(), false, true, null);
        metrics.request(req.zone(), EdgeCacheStatus.HIT);
        return new Lookup.Hit(ResponseBuilder.fromArriving(arriving.meta(), arriving.expected(), body, cs, e.age(),
            zone.browserTtl(rule), n -> metrics.served(req.zone(), n), arriving.writer().fetchingRay()), Optional.empty());
      }
    }
    if (!mayAwait) return null;
    CompletableFuture<Void> waited = new CompletableFuture<>();
    Runnable cancel = timer.schedule(collapseWait, () -> waited.complete(null));
    arriving.done().whenComplete((v, x) -> {
      waited.complete(null);
      cancel.run();
    });
    return new Lookup.Collapsed(waited.thenApply(v -> lookup(zone, req, false, false)));
  }

  private static boolean sharedDespiteAuthorization(EntryMeta meta) {
    return meta.facts().sharedDespiteAuthorization();
  }

  private static boolean plainGet(CacheRequest req) {
    if (!req.method().equals("GET")) return false;
    for (String h : NOT_PLAIN) {
      if (req.headers().contains(h)) return false;
    }
    return true;
  }

  /** Called by the writer when its write ended, stored or not: the object is no longer arriving. */
  void arrivalEnded(EntryWriter writer) {
    for (var e : inProgress.entrySet()) {
      if (e.getValue().writer() == writer && inProgress.remove(e.getKey(), e.getValue())) e.getValue().done().complete(null);
    }
  }

  /** What a collapsed request does once the fetch it waited for ended ({@code rule} and {@code key}: its lookup's). */
  private Lookup afterWait(CacheSettings zone, CacheRule rule, CacheKey key, CacheRequest req, FlightOutcome outcome) {
    if (outcome instanceof FlightOutcome.Failed failed) {
      return new Lookup.OriginFailed(failed.error(), staleFor(zone, rule, req, key, failed.error(), true));
    }
    return lookup(zone, req, false, true); // stored: a hit; arriving: follow it; otherwise a miss of its own
  }

  private static CacheRequest background(CacheRequest req) {
    HttpHeaders h = new DefaultHttpHeaders().add(req.headers());
    for (String c : List.of("If-None-Match", "If-Modified-Since", "Range", "If-Range", "Cache-Control", "Pragma")) h.remove(c);
    return new CacheRequest(req.zone(), "GET", req.scheme(), req.host(), req.pathAndQuery(), h);
  }

  private OriginFetch fetch(CacheSettings zone, CacheRule rule, CacheRequest req, CacheKey key, EntryMeta stale, boolean store,
      String fwd, EdgeCacheStatus status, String detail, RequestCollapser.Flight<FlightOutcome> flight, Instant now) {
    return new OriginFetch(this, zone, rule, req, key, stale, store, fwd, status, detail, flight, now);
  }

  private CachedResponse serve(CacheStorage.Found found, CacheRequest req, CacheStatus cs, Duration age, CacheSettings zone,
      CacheRule rule) {
    return ResponseBuilder.fromStored(found, req, cs, age, zone.browserTtl(rule), n -> metrics.served(req.zone(), n));
  }

  /** The background refreshes handed out to run as rays of their own, by one-time token. */
  public RefreshTokens refreshes() {
    return refreshes;
  }

  // ---------------------------------------------------------------- response head

  ResponseDecision responseHead(OriginFetch f, ResponseHead head, boolean validatorsSent) {
    Instant now = clock.instant();
    CacheRequest req = f.request;
    outages.answered(req.host());
    if (Invalidation.unsafe(req.method())) invalidate(req.zone(), Invalidation.urls(req, head.status(), head.headers(), f.zone.cacheKey()));
    CacheStatus cs = f.cacheStatus(head.status());
    if (f.stale != null && head.status() == 304 && validatorsSent) {
      if (Conditionals.validates(f.stale.headers(), head.headers())) {
        EntryMeta merged = f.stale.withHeaders(Conditionals.merge(f.stale.headers(), head.headers()), f.requestTime, now);
        storage.replaceHead(merged);
        f.finish(FlightOutcome.STORED);
        CacheStorage.Found found = storage.open(merged.storageKey());
        if (found != null) {
          ServePolicy.Evaluation e = ServePolicy.evaluate(merged, new DefaultHttpHeaders(), now, f.zone, f.rule);
          CacheStatus revalidated = new CacheStatus(node, EdgeCacheStatus.REVALIDATED, false, "stale",
              304, e.ttlSeconds(), false, false, null);
          metrics.request(req.zone(), EdgeCacheStatus.REVALIDATED);
          return new ResponseDecision.ServeStored(serve(found, req, revalidated, e.age(), f.zone, f.rule));
        }
      } else {
        storage.remove(f.stale.storageKey()); // a 304 for another version: ours is not confirmed
        f.finish(FlightOutcome.NOT_STORED);
      }
      return forward(req, cs.withEdge(EdgeCacheStatus.BYPASS, "304 not for the stored copy"), f, Optional.empty());
    }
    if (f.stale != null && AlwaysOnline.staleIfErrorAllows(f.stale, head.status(), now, f.zone, f.rule)) {
      CacheStorage.Found found = storage.open(f.stale.storageKey());
      if (found != null) {
        f.finish(FlightOutcome.NOT_STORED);
        ServePolicy.Evaluation e = ServePolicy.evaluate(found.meta(), new DefaultHttpHeaders(), now, f.zone, f.rule);
        CacheStatus stale = new CacheStatus(node, EdgeCacheStatus.STALE, true, null, 0, e.ttlSeconds(), false, false,
            "stale-if-error " + head.status());
        metrics.request(req.zone(), EdgeCacheStatus.STALE);
        return new ResponseDecision.ServeStored(serve(found, req, stale, e.age(), f.zone, f.rule));
      }
    }
    if (!f.store()) {
      f.finish(FlightOutcome.NOT_STORED);
      return forward(req, cs, f, Optional.empty());
    }
    Freshness.Lifetime lifetime = Freshness.lifetime(head.status(), head.headers(), now, f.zone, f.rule);
    StoreDecision d = Storability.decide(req.method(), req.headers(), head.status(), head.headers(), f.zone, f.rule, lifetime);
    if (!d.store()) {
      if (uncacheable.size() >= UNCACHEABLE_MAX) uncacheable.clear();
      uncacheable.put(f.key.primary(), now.plus(UNCACHEABLE_MEMORY));
      f.finish(FlightOutcome.NOT_STORED);
      if (f.stale != null && head.status() < 300) storage.remove(f.stale.storageKey()); // the origin stopped allowing it
      return forward(req, cs.withEdge(d.status(), d.reason()), f, Optional.empty());
    }
    List<String> names = VaryKey.names(head.headers());
    List<String> values = VaryKey.values(names, req.headers());
    String storageKey = VaryKey.storageKey(f.key.primary(), names, values);
    HttpHeaders stored = new DefaultHttpHeaders().add(head.headers());
    for (String h : OriginFetch.hopByHop()) stored.remove(h);
    stored.remove("Set-Cookie"); // only stored with a rule's cache_set_cookie, and then never handed to others
    EntryMeta meta = new EntryMeta(storageKey, f.key.primary(), req.zone(), f.key.url(), head.status(), stored, f.requestTime, now,
        names, values, EntryMeta.tags(head.headers()), -1);
    long expected = -1;
    String length = head.headers().get("Content-Length");
    if (length != null && !head.headers().contains("Transfer-Encoding")) expected = Long.parseLong(length.trim());
    PurgeIndex.Begun begun = purges.begin(meta);
    CacheStorage.Pending pending = begun.pending();
    EntryWriter writer = new EntryWriter(this, f, pending, expected, f.zone.maxObjectSize(), begun.mark());
    if (pending.followable(expected) && (expected < 0 || expected <= f.zone.maxObjectSize())) {
      inProgress.put(f.key.primary(), new InProgress(meta, pending, expected, writer, new CompletableFuture<>()));
      f.finish(FlightOutcome.HEAD_ARRIVED); // the waiting requests stream it from here on
    }
    return forward(req, cs.withStored(true), f, Optional.of(writer));
  }

  private ResponseDecision forward(CacheRequest req, CacheStatus cs, OriginFetch f, Optional<EntryWriter> writer) {
    HttpHeaders h = new DefaultHttpHeaders();
    cs.applyTo(h);
    Duration browser = f.zone.browserTtl(f.rule);
    if (browser != null && writer.isPresent()) h.set("Cache-Control", "max-age=" + browser.getSeconds());
    metrics.request(req.zone(), cs.edge());
    return new ResponseDecision.Forward(h, writer);
  }

  /** Called by {@link EntryWriter#commit}: makes the object visible unless a purge since its start covers it. */
  boolean commit(OriginFetch f, CacheStorage.Pending pending, long purgeMark) {
    // the file work happens before, outside the purges' lock; only the check and publish are inside
    EntryMeta done = pending.prepare() ? purges.publish(pending, purgeMark) : null;
    if (done == null) {
      f.finish(FlightOutcome.NOT_STORED);
      return false;
    }
    index(done);
    uncacheable.remove(done.primaryKey());
    f.finish(FlightOutcome.STORED);
    return true;
  }

  private void index(EntryMeta m) {
    if (m.varyNames().isEmpty()) varyIndex.remove(m.primaryKey());
    else varyIndex.put(m.primaryKey(), m.varyNames());
    purges.index(m);
  }

  // ---------------------------------------------------------------- fail to proxy

  /**
   * The stale copy for a request whose origin failed, when Always Online or stale-if-error allows
   * it, with Edge-Cache-Status STALE and a Cache-Status naming the failure. The engine still counts
   * the ray as an origin failure.
   */
  public Optional<CachedResponse> serveStale(CacheSettings zone, CacheRequest req, OriginError error) {
    return staleFor(zone, zone.ruleFor(req.host(), req.path()), req, CacheKey.of(req, zone.cacheKey()), error, false);
  }

  /** A fetch for this host could not reach its origin: its next requests with a stale copy need not try. */
  void originFailed(OriginFetch f, OriginError error) {
    outages.failed(f.request.host(), error, f.ray(), clock.millis());
  }

  Optional<CachedResponse> staleFor(CacheSettings zone, CacheRule rule, CacheRequest req, CacheKey key, OriginError error,
      boolean collapsed) {
    if (!req.method().equals("GET") && !req.method().equals("HEAD")) return Optional.empty();
    List<String> names = varyIndex.getOrDefault(key.primary(), List.of());
    EntryMeta meta = storage.peek(VaryKey.storageKey(key.primary(), names, VaryKey.values(names, req.headers())));
    return meta == null ? Optional.empty() : staleCopy(meta, zone, rule, req, error, collapsed, null, clock.instant());
  }

  /**
   * The stored copy {@code meta} as the answer to a request whose origin failed, when Always Online
   * or stale-if-error allows it.
   *
   * @param notTried why the origin was not tried for this request, or null when it was
   */
  private Optional<CachedResponse> staleCopy(EntryMeta meta, CacheSettings zone, CacheRule rule, CacheRequest req,
      OriginError error, boolean collapsed, String notTried, Instant now) {
    Optional<AlwaysOnline.Reason> why = AlwaysOnline.staleAllowed(meta, error.status(), now, zone, rule);
    if (why.isEmpty()) return Optional.empty();
    CacheStorage.Found found = storage.open(meta.storageKey());
    if (found == null) return Optional.empty();
    ServePolicy.Evaluation e = ServePolicy.evaluate(found.meta(), new DefaultHttpHeaders(), now, zone, rule);
    CacheStatus cs = new CacheStatus(node, EdgeCacheStatus.STALE, true, null, 0, e.ttlSeconds(), false, collapsed,
        why.get().detail + " " + error.status() + " " + error.proxyStatus() + (notTried == null ? "" : "; origin not tried"));
    CachedResponse r = serve(found, req, cs, e.age(), zone, rule);
    r.headers().add("Proxy-Status", "edgeray-" + node + "; error=" + error.proxyStatus()
        + (notTried == null ? "" : "; details=\"" + notTried + "\""));
    metrics.request(req.zone(), EdgeCacheStatus.STALE);
    metrics.staleServed(req.zone(), error.status());
    return Optional.of(r);
  }

  // ---------------------------------------------------------------- admin view

  /** The zone's cache figures for the admin API; the disk tier is null when the node has none. */
  public CacheReport report(String zone) {
    return CacheReport.of(zone, metrics, storage);
  }

  // ---------------------------------------------------------------- invalidation and purge

  /** Drops every object stored under these URLs of the zone (RFC 9111 §4.4). */
  void invalidate(String zone, Set<String> urls) {
    metrics.purged(zone, purges.invalidate(zone, urls));
  }

  /**
   * Removes what the purge names from the zone's cache. When this returns, no new lookup finds a
   * purged object, and a response still arriving that the purge covers is not stored.
   *
   * @return how many objects were removed
   */
  public int purge(String zone, Purge purge) {
    int n = purges.purge(purge.matcher(zone));
    metrics.purged(zone, n);
    return n;
  }

  /** A purge by URL with the query normalized as the zone keys it (ignore, sort). */
  public int purge(String zone, CacheSettings settings, Purge purge) {
    List<String> files = purge.files().stream().map(u -> {
      int q = u.indexOf('?');
      if (q < 0) return u;
      String query = CacheKey.query(u.substring(q + 1), settings.cacheKey().query());
      return u.substring(0, q) + (query == null ? "" : "?" + query);
    }).toList();
    return purge(zone, new Purge(files, purge.prefixes(), purge.tags(), purge.everything()));
  }
}
