package io.edgeray.cache;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code GET /api/zones/{zone}/cache} shows: the zone's requests by cache status since the
 * node started, its hit ratio, the bytes served from the cache, and per tier the zone's share and
 * the node's totals (the tiers are shared by every zone).
 *
 * @param hitRatio answers served from the cache (HIT, UPDATING, STALE, REVALIDATED) over those and
 *     the ones that had to be fetched (MISS, EXPIRED); BYPASS and DYNAMIC do not count; 0 when none
 */
public record CacheReport(String zone, double hitRatio, Map<String, Long> requests, long servedBytes, Tier memory, Tier disk) {
  /** One tier: the zone's objects and bytes in it, and the node's, with its bound and evictions so far. */
  public record Tier(long zoneObjects, long zoneBytes, long objects, long bytes, long capacity, long evictions) {}

  static CacheReport of(String zone, CacheMetrics metrics, CacheStorage storage) {
    Map<String, Long> byStatus = new LinkedHashMap<>();
    for (EdgeCacheStatus s : EdgeCacheStatus.values()) byStatus.put(s.name(), (long) metrics.requests(zone, s));
    long fromCache = byStatus.get("HIT") + byStatus.get("UPDATING") + byStatus.get("STALE") + byStatus.get("REVALIDATED");
    long fetched = byStatus.get("MISS") + byStatus.get("EXPIRED");
    double ratio = fromCache + fetched == 0 ? 0 : (double) fromCache / (fromCache + fetched);
    return new CacheReport(zone, ratio, byStatus, (long) metrics.servedBytes(zone),
        storage.memoryUsage(zone, (long) metrics.evictions("memory")),
        storage.hasDisk() ? storage.diskUsage(zone, (long) metrics.evictions("disk")) : null);
  }
}
