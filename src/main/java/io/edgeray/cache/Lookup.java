package io.edgeray.cache;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** What the cache-lookup phase does with a request. */
public sealed interface Lookup {

  /**
   * Answer from the cache (a fresh copy, a 304 to the visitor's conditional, a HEAD, a range).
   * {@code refresh} is present when the copy was served stale-while-revalidate: the engine then
   * fetches it from the origin in the background with that fetch (no visitor attached): store
   * the body through its writer as usual, and close the response a {@code ServeStored} gives.
   */
  record Hit(CachedResponse response, Optional<OriginFetch> refresh) implements Lookup {}

  /** Go to the origin; the fetch says what to add to the upstream request and stores the answer. */
  record Miss(OriginFetch fetch) implements Lookup {}

  /** Go to the origin; nothing will be stored (a rule, the cache off, a method, no-store...). */
  record Bypass(OriginFetch fetch, String reason) implements Lookup {}

  /**
   * Another request is already fetching this object. The future completes (on that request's
   * thread: hop back to your event loop) with a Hit, a Miss (go yourself), or OriginFailed.
   */
  record Collapsed(CompletableFuture<Lookup> result) implements Lookup {}

  /** The cache answers by itself without an object: 504 for only-if-cached. */
  record Refused(CachedResponse response) implements Lookup {}

  /**
   * (Only as the outcome of a Collapsed wait.) The fetch it waited for failed: send the stale copy
   * when present, else the edge's error page for {@code error}.
   */
  record OriginFailed(OriginError error, Optional<CachedResponse> stale) implements Lookup {}

  /**
   * The host's origin could not be reached a moment ago (by {@code failedRay}) and this request has
   * a stale copy Always Online or stale-if-error allows: send it without trying the origin.
   * The ray is an origin failure served stale, as if it had failed itself.
   */
  record OriginDown(OriginError error, CachedResponse stale, String failedRay, String notTried) implements Lookup {}
}
