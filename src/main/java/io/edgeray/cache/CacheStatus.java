package io.edgeray.cache;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

/**
 * One cache's member of the RFC 9211 {@code Cache-Status} field, and the short Edge-Cache-Status
 * that goes with it: {@code edgeray-AMS; hit; ttl=42} or {@code edgeray-AMS; fwd=uri-miss; stored}.
 *
 * @param fwd null on a hit, else {@code uri-miss}, {@code vary-miss}, {@code miss}, {@code stale},
 *     {@code request} or {@code bypass}
 * @param fwdStatus the status the origin answered the forwarded request with, or 0
 * @param ttl remaining freshness in seconds (negative when stale), or null
 * @param detail a few words (why bypassed, why stale), or null
 */
public record CacheStatus(String node, EdgeCacheStatus edge, boolean hit, String fwd, int fwdStatus, Long ttl,
    boolean stored, boolean collapsed, String detail) {
  public static final String HEADER = "Cache-Status";
  // AsciiString names keep their hash and are checked faster than a String's on every response
  private static final AsciiString HEADER_NAME = AsciiString.cached(HEADER);
  private static final AsciiString EDGE_HEADER_NAME = AsciiString.cached(EdgeCacheStatus.HEADER);

  public String render() {
    // a plain hit, on every hit: one string of the right size, no builder growing twice
    if (hit && ttl != null && fwd == null && fwdStatus == 0 && !stored && !collapsed && detail == null) {
      return "edgeray-" + node + "; hit; ttl=" + ttl.longValue();
    }
    StringBuilder b = new StringBuilder(64).append("edgeray-").append(node);
    if (hit) b.append("; hit");
    if (fwd != null) b.append("; fwd=").append(fwd);
    if (fwdStatus > 0) b.append("; fwd-status=").append(fwdStatus);
    if (ttl != null) b.append("; ttl=").append(ttl);
    if (stored) b.append("; stored");
    if (collapsed) b.append("; collapsed");
    if (detail != null) b.append("; detail=\"").append(detail.replace("\"", "'")).append('"');
    return b.toString();
  }

  /** Adds our Cache-Status member (after any the origin sent) and sets Edge-Cache-Status. */
  public void applyTo(HttpHeaders h) {
    h.add(HEADER_NAME, render());
    h.set(EDGE_HEADER_NAME, edge.value());
  }

  CacheStatus withStored(boolean s) {
    return new CacheStatus(node, edge, hit, fwd, fwdStatus, ttl, s, collapsed, detail);
  }

  CacheStatus withCollapsed() {
    return new CacheStatus(node, edge, hit, fwd, fwdStatus, ttl, stored, true, detail);
  }

  CacheStatus withFwdStatus(int status) {
    return new CacheStatus(node, edge, hit, fwd, status, ttl, stored, collapsed, detail);
  }

  CacheStatus withEdge(EdgeCacheStatus e, String newDetail) {
    return new CacheStatus(node, e, hit, fwd, fwdStatus, ttl, stored, collapsed, newDetail);
  }
}
