package io.edgeray.pool;

/** A pool's health, from how many of its enabled origins are available. */
public enum PoolStatus {
  /** Every enabled origin is available. */
  HEALTHY,
  /** Some are not, but at least the health threshold are. */
  DEGRADED,
  /** Fewer than the health threshold are: traffic goes to the next pool. */
  CRITICAL;

  public String word() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
