package io.edgeray.observe;

import io.edgeray.failure.OriginFailure;

/**
 * One try at one origin address within a ray.
 *
 * @param poolOrigin {@code pool.origin} when the host is load-balanced (or has several records,
 *     {@code records:NAME.ADDRESS}), so the log names the origin the owner configured; else null
 * @param failure null when this attempt got a response head
 * @param reused whether a pooled keep-alive connection was used
 */
public record Attempt(String origin, String poolOrigin, OriginFailure failure, String detail, long connectMillis,
    boolean reused) {

  /** The same attempt, ended by {@code failure} after all. */
  public Attempt failed(OriginFailure failure, String detail) {
    return new Attempt(origin, poolOrigin, failure, detail, connectMillis, reused);
  }
}
