package io.edgeray.failure;

import io.edgeray.failure.EdgeError;

/** Requests the edge refuses itself, before any origin is involved. */
public enum EdgeRefusal implements EdgeError {
  LOOP(403, 1000, "DNS points to prohibited IP", "proxy_loop_detected", Culprit.EDGE),
  /** The origin address and port are one of this edge's own listeners (usually origin_ports set to the edge's port). */
  ORIGIN_IS_EDGE(403, 1000, "Origin port points back at the edge", "proxy_loop_detected", Culprit.EDGE),
  HOST_NOT_SERVED(530, 1001, "DNS resolution error", "destination_not_found", Culprit.EDGE),
  ZONE_PAUSED(530, 1018, "Zone is paused on this edge", "destination_unavailable", Culprit.EDGE),
  DIRECT_IP(403, 1003, "Direct IP access not allowed", "destination_ip_prohibited", Culprit.BROWSER, true),
  BAD_REQUEST(400, 400, "Bad request", "http_request_error", Culprit.BROWSER),
  METHOD_NOT_ALLOWED(405, 405, "Method not allowed", "http_request_denied", Culprit.BROWSER),
  REQUEST_TIMEOUT(408, 408, "Request timeout", "http_request_error", Culprit.BROWSER),
  URI_TOO_LONG(414, 414, "URI too long", "http_request_error", Culprit.BROWSER),
  HEAD_TOO_LARGE(431, 431, "Request header fields too large", "http_request_error", Culprit.BROWSER),
  HTTP_VERSION_NOT_SUPPORTED(505, 505, "HTTP version not supported", "http_request_error", Culprit.BROWSER),
  TRANSFER_CODING_NOT_IMPLEMENTED(501, 501, "Transfer coding not implemented", "http_request_error", Culprit.BROWSER),
  /** An IP access rule of the zone or the edge blocks the visitor's address. */
  IP_BLOCKED(403, 1006, "Access denied: your IP address has been banned", "http_request_denied", Culprit.BROWSER, true),
  /** A firewall rule of the zone blocks the request; the page names the rule, never its expression. */
  FIREWALL_BLOCKED(403, 1020, "Access denied", "http_request_denied", Culprit.BROWSER, true),
  /** A rate-limiting rule of the zone: too many requests in its period. */
  RATE_LIMITED(429, 1015, "You are being rate limited", "http_request_denied", Culprit.BROWSER, true),
  SHUTTING_DOWN(503, 503, "Edge is restarting", "proxy_internal_error", Culprit.EDGE),
  /** Every origin that could take the request is at its max_connections and the queue is full or timed out. */
  CONNECTION_LIMIT(503, 1200, "Origin is overloaded", "connection_limit_reached", Culprit.HOST),
  /** The host's pools have no enabled origin at all: the owner took them all out. */
  NO_ORIGIN_ENABLED(503, 1201, "No origin is enabled", "destination_unavailable", Culprit.HOST);

  private final int status;
  private final int code;
  private final String title;
  private final String proxyStatus;
  private final Culprit culprit;
  private final boolean wellFormed;

  EdgeRefusal(int status, int code, String title, String proxyStatus, Culprit culprit) {
    this(status, code, title, proxyStatus, culprit, culprit != Culprit.BROWSER);
  }

  /** @param wellFormed the request was valid HTTP (refused for what it asks), so the connection can go on */
  EdgeRefusal(int status, int code, String title, String proxyStatus, Culprit culprit, boolean wellFormed) {
    this.wellFormed = wellFormed;
    this.status = status;
    this.code = code;
    this.title = title;
    this.proxyStatus = proxyStatus;
    this.culprit = culprit;
  }

  @Override public int status() { return status; }
  @Override public int code() { return code; }
  @Override public String title() { return title; }
  @Override public String proxyStatus() { return proxyStatus; }
  @Override public Culprit culprit() { return culprit; }
  @Override public int retryAfterSeconds() { return this == SHUTTING_DOWN || this == CONNECTION_LIMIT ? 5 : 0; }

  /** Whether the visitor's connection closes after the page: its bytes cannot be trusted after a broken request. */
  public boolean closesConnection() {
    return !wellFormed;
  }
}
