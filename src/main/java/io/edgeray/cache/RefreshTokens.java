package io.edgeray.cache;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Background refreshes (a {@link Lookup.Hit#refresh()}) handed to whoever runs them as rays of
 * their own: each under a random token, good once. The refresh's ray presents the token in
 * {@link #HEADER} and claims the fetch; unclaimed, the fetch is abandoned after the collapse wait,
 * so nobody waits on a refresh that never ran. A ray whose token is good is the edge's own request
 * (a forged or used token claims nothing: that ray is a visitor's).
 */
public final class RefreshTokens {
  /** The request header a refresh's own ray carries its token in; never sent to the origin. */
  public static final String HEADER = "Edgeray-Refresh";
  // looked up on every request: an AsciiString keeps its hash
  private static final AsciiString HEADER_NAME = AsciiString.cached(HEADER);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ConcurrentHashMap<String, OriginFetch> handedOut = new ConcurrentHashMap<>();
  private final RequestCollapser.Timer timer;
  private final Duration unclaimedFor;

  RefreshTokens(RequestCollapser.Timer timer, Duration unclaimedFor) {
    this.timer = timer;
    this.unclaimedFor = unclaimedFor;
  }

  /** A new token for this refresh. */
  public String handOut(OriginFetch refresh) {
    byte[] random = new byte[16];
    RANDOM.nextBytes(random);
    String token = HexFormat.of().formatHex(random);
    handedOut.put(token, refresh);
    // (not cancelled on claim: tokens are handed out once per refresh, not per request)
    timer.schedule(unclaimedFor, () -> {
      OriginFetch left = handedOut.remove(token);
      if (left != null) left.abandon();
    });
    return token;
  }

  /** The refresh handed out under this token, once; null for an unknown or used token. */
  public OriginFetch claim(String token) {
    return token == null ? null : handedOut.remove(token);
  }

  /**
   * Takes the token off a request (so it is never forwarded, whoever sent it) and claims its
   * refresh: null when the request has none, or a forged or used one.
   */
  public OriginFetch takeFrom(HttpHeaders request) {
    String token = request.get(HEADER_NAME);
    if (token == null) return null;
    request.remove(HEADER_NAME);
    return claim(token);
  }
}
