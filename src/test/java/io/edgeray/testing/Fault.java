package io.edgeray.testing;

/**
 * The closed set of ways a {@link FaultyOrigin} misbehaves. Each one acts on the wire exactly as
 * described, so a test can name the failure it wants and know which bytes the edge will see.
 *
 * <p>{@link #CLOSE_ON_ACCEPT} and {@link #RESET_ON_ACCEPT} act when a connection is accepted; on a
 * connection that was already open when the fault was set, they act when its next request head
 * arrives. Every other fault acts once a request head has been read, so switching the fault also
 * changes what a pooled keep-alive connection does next.
 */
public enum Fault {
  /**
   * 200 with keep-alive; the body is a JSON echo of the request. {@code GET /bytes/{n}} streams n
   * bytes and {@code POST /sink} reads and discards any body and answers {@code {"received": n}}.
   */
  OK,
  /** Answers {@link FaultyOrigin#statusCode(int)} (502 unless set) with a small text body. */
  STATUS,
  /** Accepts, then closes with a FIN before reading or writing anything. */
  CLOSE_ON_ACCEPT,
  /** Accepts, then closes with SO_LINGER 0, so the peer gets a RST. */
  RESET_ON_ACCEPT,
  /** Reads the request head, then closes with a FIN without answering. */
  CLOSE_AFTER_REQUEST,
  /** Reads the request, writes {@link FaultBytes#garbageHead()}, then closes with a FIN. */
  GARBAGE_HEAD,
  /** Reads the request, writes {@link FaultBytes#oversizedHead()} (200 KiB of headers), then FIN. */
  OVERSIZED_HEAD,
  /** Reads the request and never writes; the socket stays open until the peer or close() ends it. */
  NEVER_ANSWER,
  /** Reads the request, writes {@link FaultBytes#resetMidBodyPrefix()} (promises 100000 body bytes, sends 1000), then RST. */
  RESET_MID_BODY,
  /** Reads the request, waits {@link FaultyOrigin#slowHeadDelay(java.time.Duration)}, then answers as {@link #OK}. */
  SLOW_HEAD,
  /**
   * Answers {@code Content-Length: 10} and then writes {@link FaultBytes#OVERLONG_BODY} (36 bytes)
   * in one write, keeping the connection open: 26 bytes too many.
   */
  OVERLONG_BODY,
  /** Sends {@code 103 Early Hints} with a Link header, then answers as {@link #OK}. */
  EARLY_HINTS,
  /** Answers as {@link #OK} with {@code Keep-Alive: timeout=1}: it will close idle connections after a second. */
  SHORT_KEEP_ALIVE
}
