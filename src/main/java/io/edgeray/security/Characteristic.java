package io.edgeray.security;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One part of what makes a rate-limit counter: requests with equal values of all a rule's
 * characteristics share one counter.
 *
 * @param name the header or cookie name for {@link Kind#HEADER} and {@link Kind#COOKIE}, else empty
 */
public record Characteristic(Kind kind, String name) {
  private static final Pattern HEADER = Pattern.compile("http\\.request\\.headers\\[\"([!#$%&'*+.^_`|~0-9A-Za-z-]+)\"\\]");
  private static final Pattern COOKIE = Pattern.compile("http\\.request\\.cookies\\[\"([!#$%&'*+.^_`|~0-9A-Za-z-]+)\"\\]");

  public enum Kind { IP_SRC, HOST, PATH, HEADER, COOKIE }

  /**
   * Reads {@code ip.src}, {@code http.host}, {@code http.request.uri.path},
   * {@code http.request.headers["x-api-key"]} or {@code http.request.cookies["session"]}; null for anything else.
   */
  public static Characteristic parse(String text) {
    String t = text.trim();
    switch (t) {
      case "ip.src": return new Characteristic(Kind.IP_SRC, "");
      case "http.host": return new Characteristic(Kind.HOST, "");
      case "http.request.uri.path": return new Characteristic(Kind.PATH, "");
      default: break;
    }
    Matcher h = HEADER.matcher(t);
    if (h.matches()) return new Characteristic(Kind.HEADER, h.group(1).toLowerCase(Locale.ROOT));
    Matcher c = COOKIE.matcher(t);
    if (c.matches()) return new Characteristic(Kind.COOKIE, c.group(1));
    return null;
  }

  /** This characteristic's value for a request; empty when the header or cookie is absent. */
  String valueOf(RequestActivation request) {
    String v = switch (kind) {
      case IP_SRC -> request.clientIp();
      case HOST -> request.host();
      case PATH -> request.path();
      case HEADER -> request.header(name);
      case COOKIE -> request.cookieValue(name);
    };
    return v == null ? "" : v;
  }

  @Override
  public String toString() {
    return switch (kind) {
      case IP_SRC -> "ip.src";
      case HOST -> "http.host";
      case PATH -> "http.request.uri.path";
      case HEADER -> "http.request.headers[\"" + name + "\"]";
      case COOKIE -> "http.request.cookies[\"" + name + "\"]";
    };
  }
}
