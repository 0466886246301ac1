package io.edgeray.failure;

/**
 * Anything the edge answers on its own error page: an origin failure or an edge-side refusal.
 * Everything a page, a header and a log line need hangs off this one value.
 */
public interface EdgeError {

  /** Which box on the error page is marked as failing. */
  enum Culprit { BROWSER, EDGE, HOST }

  /** HTTP status sent to the visitor. */
  int status();

  /** The code shown on the page: the status for 52x, the 1xxx number for refusals. */
  int code();

  String title();

  /** RFC 9209 error type. */
  String proxyStatus();

  Culprit culprit();

  /** Seconds after which a retry makes sense, or 0 when it does not. */
  int retryAfterSeconds();

  /** Stable name for logs and metric labels. */
  String name();
}
