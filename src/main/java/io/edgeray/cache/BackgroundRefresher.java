package io.edgeray.cache;

/**
 * Runs a stale-while-revalidate refresh as a ray of its own, so it goes through routing, pools,
 * TLS and the access log like any fetch: the edge sends {@code request} to its own listener with
 * the token in {@link RefreshTokens#HEADER}, and that ray claims the fetch.
 */
@FunctionalInterface
public interface BackgroundRefresher {
  BackgroundRefresher NONE = (request, token) -> false;

  /** Starts the refresh without waiting for it; false when it cannot start (the fetch is then abandoned). */
  boolean start(CacheRequest request, String token);
}
