package io.edgeray.testing;

/**
 * The closed set of ways a {@link FaultyOrigin} behaves. Each one acts on the wire exactly as
 * described, so a test can name the failure it wants and know which bytes the edge will see.
 *
 * <p>{@link #REFUSE} and the certificate faults are chosen when the origin starts (there is no
 * listener to switch, or the certificate is part of the listener). {@link #CLOSE_ON_ACCEPT},
 * {@link #RESET_ON_ACCEPT} and {@link #PLAIN_ON_TLS_PORT} act when a connection is accepted; on a
 * connection that was already open when the fault was set, they act when its next request head
 * arrives. Every other fault acts once a request head has been read, so switching the fault also
 * changes what a pooled keep-alive connection does next.
 */
public enum Fault {
  /**
   * 200 with keep-alive; the body is a JSON echo of the request (or the one-line summary of
   * {@link FaultyOrigin#summaryEcho(String)}). {@code GET /bytes/{n}} streams n bytes and
   * {@code POST /sink} reads and discards any body and answers {@code {"received": n}}.
   */
  OK,
  /** Answers {@link FaultyOrigin#statusCode(int)} (502 unless set) with a small text body. */
  STATUS,
  /** Nothing listens: the port is held by a socket that is bound but never listens, so a connect gets a RST. */
  REFUSE,
  /** Accepts, then closes with a FIN before reading or writing anything. */
  CLOSE_ON_ACCEPT,
  /** Accepts, then closes with SO_LINGER 0, so the peer gets a RST. */
  RESET_ON_ACCEPT,
  /** Reads the request head, then closes with a FIN without answering: closed before the response head. */
  CLOSE_AFTER_REQUEST,
  /** Reads the request, writes {@link FaultBytes#garbageHead()}, then closes with a FIN. */
  GARBAGE_HEAD,
  /** Reads the request, writes {@link FaultBytes#oversizedHead()} (200 KiB of headers), then FIN. */
  OVERSIZED_HEAD,
  /** Stalls: reads the request and never writes; the socket stays open until the peer or close() ends it. */
  NEVER_ANSWER,
  /** Reads the request, writes {@link FaultBytes#resetMidBodyPrefix()} (promises 100000 body bytes, sends 1000), then RST. */
  RESET_MID_BODY,
  /** Reads the request, waits {@link FaultyOrigin#slowDelay(java.time.Duration)}, then answers as {@link #OK}. */
  SLOW_HEAD,
  /**
   * Reads the request, sends a 200 head promising {@link FaultBytes#SLOW_BODY_BYTES} bytes, then
   * one byte of {@link BytePattern} every {@link FaultyOrigin#slowDelay(java.time.Duration)}.
   */
  SLOW_BODY,
  /**
   * As {@link #SLOW_BODY}, but after {@link FaultBytes#SLOW_BODY_CUT_AFTER} of the promised bytes
   * closes with a FIN: the origin breaks off in the middle of a slow body.
   */
  SLOW_BODY_CUT,
  /**
   * A keep-alive race: answers the first request on each connection (200, keep-alive, the text
   * {@code answered on connection N}), then reads the next request head and closes with a FIN
   * without answering it, as an origin does when its keep-alive timeout fires just as the edge
   * reuses the connection. The unanswered request is recorded with {@code bodyBytes} -1.
   */
  KEEP_ALIVE_RACE,
  /**
   * Plain HTTP where TLS is expected: whatever arrives (a ClientHello, say) gets what a web server
   * speaking HTTP answers to bytes that are not HTTP, a 400, then a FIN.
   */
  PLAIN_ON_TLS_PORT,
  /** TLS with a certificate signed by the test CA that expired yesterday; then answers as {@link #OK}. */
  EXPIRED_CERTIFICATE,
  /** TLS with a certificate signed by the test CA that is valid only from tomorrow; then as {@link #OK}. */
  NOT_YET_VALID_CERTIFICATE,
  /** TLS with a self-signed certificate for the right names; then as {@link #OK}. */
  SELF_SIGNED_CERTIFICATE,
  /** TLS with a valid certificate of the test CA for {@link TestPki#WRONG_HOST} only; then as {@link #OK}. */
  WRONG_HOST_CERTIFICATE,
  /**
   * Answers {@code Content-Length: 10} and then writes {@link FaultBytes#OVERLONG_BODY} (36 bytes)
   * in one write, keeping the connection open: 26 bytes too many.
   */
  OVERLONG_BODY,
  /**
   * Sends {@code 103 Early Hints} with a Link header and a hop-by-hop one ({@link
   * FaultBytes#EARLY_HINT_HOP}, named by Connection), then answers as {@link #OK}.
   */
  EARLY_HINTS,
  /** Answers as {@link #OK} with {@code Keep-Alive: timeout=1}: it will close idle connections after a second. */
  SHORT_KEEP_ALIVE;

  /** Whether this fault is a certificate the origin shows, chosen at start. */
  public boolean isCertificate() {
    return this == EXPIRED_CERTIFICATE || this == NOT_YET_VALID_CERTIFICATE || this == SELF_SIGNED_CERTIFICATE
        || this == WRONG_HOST_CERTIFICATE;
  }

  /** Whether the origin must be started with this fault (it cannot be switched to or from later). */
  public boolean chosenAtStart() {
    return this == REFUSE || isCertificate();
  }
}
