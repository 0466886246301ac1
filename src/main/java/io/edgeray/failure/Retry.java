package io.edgeray.failure;

/**
 * What a failure says about trying the request again, decided where the failure is classified
 * (Pingora's retry types). Whether a retry then happens is {@link RetryPolicy}'s verdict.
 */
public enum Retry {
  /** Nothing reached the origin (refused, timed out, unreachable, TLS): another origin may be tried. */
  ANOTHER_ORIGIN,
  /**
   * The connection ended before any response byte. On a reused keep-alive connection that is the
   * origin having closed it while idle: the request may go again on a new connection.
   */
  IF_REUSED,
  /** The origin got the request and failed it (no answer in time, a malformed answer). */
  NEVER
}
