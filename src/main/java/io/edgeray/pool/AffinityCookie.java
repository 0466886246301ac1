package io.edgeray.pool;

import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.DefaultCookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.netty.handler.codec.http.cookie.ServerCookieEncoder;
import io.netty.handler.codec.http.cookie.CookieHeaderNames;

/** The cookie that keeps a visitor on one origin of a pool with cookie steering: its value is {@code pool.origin}. */
public final class AffinityCookie {
  public static final String NAME = "__edgeray_affinity";

  private AffinityCookie() {}

  /** The origin id the visitor's Cookie header names, or null. */
  public static String read(String cookieHeader) {
    if (cookieHeader == null) return null;
    for (Cookie c : ServerCookieDecoder.LAX.decode(cookieHeader)) {
      if (c.name().equals(NAME)) return c.value();
    }
    return null;
  }

  /** The Set-Cookie value that pins the visitor to {@code originId}. */
  public static String setCookie(String originId) {
    DefaultCookie c = new DefaultCookie(NAME, originId);
    c.setPath("/");
    c.setHttpOnly(true);
    c.setSameSite(CookieHeaderNames.SameSite.Lax);
    return ServerCookieEncoder.STRICT.encode(c);
  }
}
