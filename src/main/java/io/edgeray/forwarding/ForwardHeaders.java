package io.edgeray.forwarding;

import io.edgeray.config.HeaderStyle;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.List;

/**
 * Header rewriting in both directions: hop-by-hop headers (RFC 9110 §7.6.1) are removed, and the
 * forwarding headers tell the origin who the visitor is and which ray this is.
 */
public final class ForwardHeaders {
  public static final AsciiString EDGE_RAY = AsciiString.cached("edge-ray");
  public static final AsciiString EDGE_CONNECTING_IP = AsciiString.cached("edge-connecting-ip");
  public static final AsciiString CDN_LOOP = AsciiString.cached("cdn-loop");
  public static final AsciiString PROXY_STATUS = AsciiString.cached("proxy-status");
  static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
  static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
  static final AsciiString CF_CONNECTING_IP = AsciiString.cached("cf-connecting-ip");
  static final AsciiString CF_RAY = AsciiString.cached("cf-ray");
  static final AsciiString CF_VISITOR = AsciiString.cached("cf-visitor");
  private static final AsciiString PROXY_CONNECTION = AsciiString.cached("proxy-connection");

  private static final List<AsciiString> HOP_BY_HOP = List.of(
      HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE, PROXY_CONNECTION, HttpHeaderNames.TE,
      HttpHeaderNames.TRAILER, HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.UPGRADE);

  private ForwardHeaders() {}

  /**
   * Rewrites a visitor's request headers for the origin.
   *
   * @param upgrade keep Connection: upgrade and Upgrade, for a WebSocket handshake
   * @param receivedProtocol the protocol version the visitor's request came in with, as Via writes
   *     it (RFC 9110 §7.6.3): "1.0", "1.1" or "2" (see {@code VisitorTlsInitializer.viaProtocol})
   */
  public static void toOrigin(HttpHeaders h, String clientIp, String ray, String pseudonym, String scheme,
      HeaderStyle style, boolean upgrade, String receivedProtocol) {
    String upgradeTo = upgrade ? h.get(HttpHeaderNames.UPGRADE) : null;
    removeHopByHop(h);
    if (upgradeTo != null) {
      h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
      h.set(HttpHeaderNames.UPGRADE, upgradeTo);
    }
    String xff = h.get(X_FORWARDED_FOR);
    h.set(X_FORWARDED_FOR, xff == null || xff.isBlank() ? clientIp : xff + ", " + clientIp);
    h.set(X_FORWARDED_PROTO, scheme);
    h.set(EDGE_CONNECTING_IP, clientIp);
    h.set(EDGE_RAY, ray);
    appendList(h, HttpHeaderNames.VIA, receivedProtocol + " " + pseudonym);
    appendList(h, CDN_LOOP, pseudonym);
    if (style == HeaderStyle.CLOUDFLARE) {
      h.set(CF_CONNECTING_IP, clientIp);
      h.set(CF_RAY, ray);
      h.set(CF_VISITOR, "{\"scheme\":\"" + scheme + "\"}");
    }
  }

  /** Rewrites an origin's response headers for the visitor. */
  public static void toVisitor(HttpHeaders h, String ray, String pseudonym, boolean upgrade) {
    String upgradeTo = upgrade ? h.get(HttpHeaderNames.UPGRADE) : null;
    removeHopByHop(h);
    if (upgradeTo != null) {
      h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
      h.set(HttpHeaderNames.UPGRADE, upgradeTo);
    }
    h.set(EDGE_RAY, ray);
    appendList(h, HttpHeaderNames.VIA, "1.1 " + pseudonym);
  }

  /** Whether our own pseudonym is already in CDN-Loop (RFC 8586): the request has come round to us again. */
  public static boolean isLoop(HttpHeaders h, String pseudonym) {
    for (String value : h.getAll(CDN_LOOP)) {
      for (String info : value.split(",")) {
        String id = info.split(";", 2)[0].trim();
        if (id.equalsIgnoreCase(pseudonym)) return true;
      }
    }
    return false;
  }

  /**
   * Removes the hop-by-hop headers (RFC 9110 §7.6.1), and those Connection names. It runs twice
   * per ray: the usual case (no Connection header, or one naming only hop-by-hop headers such as
   * keep-alive) splits no string into arrays and collects no names.
   */
  public static void removeHopByHop(HttpHeaders h) {
    if (h.contains(HttpHeaderNames.CONNECTION)) {
      for (String value : h.getAll(HttpHeaderNames.CONNECTION)) { // a copy: removing below is safe
        int start = 0;
        while (start <= value.length()) {
          int comma = value.indexOf(',', start);
          int end = comma < 0 ? value.length() : comma;
          String t = value.substring(start, end).trim();
          if (!t.isEmpty() && !isHopByHop(t)) h.remove(t);
          start = end + 1;
        }
      }
    }
    for (int i = 0; i < HOP_BY_HOP.size(); i++) h.remove(HOP_BY_HOP.get(i));
  }

  /** Whether {@code token} names one of the headers removed in any case. */
  private static boolean isHopByHop(String token) {
    for (int i = 0; i < HOP_BY_HOP.size(); i++) if (HOP_BY_HOP.get(i).contentEqualsIgnoreCase(token)) return true;
    return false;
  }

  private static void appendList(HttpHeaders h, AsciiString name, String value) {
    if (!h.contains(name)) {
      h.set(name, value);
      return;
    }
    List<String> existing = h.getAll(name);
    h.set(name, String.join(", ", existing) + ", " + value);
  }
}
