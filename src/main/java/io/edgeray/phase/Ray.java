package io.edgeray.phase;

import io.edgeray.config.Zone;
import io.edgeray.failure.OriginFailure;
import io.edgeray.upstream.Peer;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.NetUtil;
import java.net.InetAddress;

/** What a phase may read of the ray being served. The engine owns it; phases answer with decisions. */
public interface Ray {
  /** The ray id: 16 hex digits, a dash, the node name. */
  String id();

  String clientIp();

  /** The visitor's address (the TCP peer), or null when the peer is not an IP address. */
  default InetAddress clientAddress() {
    return NetUtil.createInetAddressFromIpAddressString(clientIp());
  }

  /** Whether the visitor came over TLS. */
  boolean https();

  /** The visitor's HTTP version as Via writes it: {@code 1.0}, {@code 1.1} or {@code 2}. */
  String protocol();

  /** The visitor's request head, as it arrived. */
  HttpRequest request();

  /** The host the request is for: lower case, without port or trailing dot; empty when there is none. */
  String host();

  /** The origin-form target (path and query), or null when the target is not a path. */
  String path();

  /** The zone that covers {@link #host()}, or null when none does. */
  Zone zone();

  /** The origin port the zone's SSL mode uses for this visitor's scheme (80 or 443 by default). */
  int originPort();

  /** Whether the visitor asked to upgrade the connection (WebSocket). */
  boolean upgradeRequested();

  /** The origins chosen for this ray, or null before the upstream-peer phase. */
  Peers peers();

  /** The origin of the current (or last) try, or null when none was made. */
  Peer peer();

  /**
   * Whether the edge itself sent this request, not a visitor: a background cache refresh whose
   * one-time token was good. The firewall does not judge it; a forged or used token is a visitor's.
   */
  default boolean fromEdge() {
    return false;
  }

  /** What a phase keeps for this ray between its hooks, under its own type; null when nothing. */
  <T> T state(Class<T> type);

  /** Keeps {@code value} for this ray, for the phase's later hooks. */
  <T> void state(Class<T> type, T value);

  /**
   * The answer this ray gets hides an origin failure (a stale copy served for it): the ray still
   * counts as that failure in the log, the metrics and the incident detector, as one that failed
   * itself does, so a copy never hides an outage from the owner.
   */
  void failureHidden(OriginFailure failure);

  /**
   * Adds a field to the ray's access-log line (the firewall's {@code security}, the cache's
   * {@code cache}): a string, a number, a boolean, or a map of those.
   */
  void logField(String name, Object value);
}
