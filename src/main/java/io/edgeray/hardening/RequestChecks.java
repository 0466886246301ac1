package io.edgeray.hardening;

import io.edgeray.failure.ErrorClassifier;
import io.edgeray.failure.EdgeRefusal;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The hardening phase: what is wrong with a request head before any routing. Pure functions of
 * the head, so each rule is testable alone.
 */
public final class RequestChecks {
  private static final Pattern IPV4_LIKE = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  /** A refusal with the reason that goes to the log. */
  record Refusal(EdgeRefusal refusal, String detail) {}

  private RequestChecks() {}

  static Refusal framing(HttpRequest req) {
    DecoderResult r = req.decoderResult();
    if (r.isFailure()) {
      ErrorClassifier.Refused refused = ErrorClassifier.refusedRequest(r.cause());
      return new Refusal(refused.refusal(), refused.detail());
    }
    if (req.protocolVersion().majorVersion() != 1) {
      return new Refusal(EdgeRefusal.HTTP_VERSION_NOT_SUPPORTED, "HTTP version " + req.protocolVersion().text()
          + " is not supported: the edge speaks HTTP/1.x here and HTTP/2 over TLS");
    }
    if (req.method() == HttpMethod.CONNECT) {
      return new Refusal(EdgeRefusal.METHOD_NOT_ALLOWED, "CONNECT is refused: this edge is not a forward proxy");
    }
    if (req.protocolVersion().equals(HttpVersion.HTTP_1_1) && !req.headers().contains(HttpHeaderNames.HOST)
        && !isAbsolute(req.uri())) {
      return new Refusal(EdgeRefusal.BAD_REQUEST, "HTTP/1.1 request without a Host header");
    }
    if (req.headers().getAll(HttpHeaderNames.HOST).size() > 1) {
      return new Refusal(EdgeRefusal.BAD_REQUEST, "more than one Host header");
    }
    Refusal target = controlCharacter(req.uri());
    if (target != null) return target;
    Refusal length = contentLength(req.headers().getAll(HttpHeaderNames.CONTENT_LENGTH));
    if (length != null) return length;
    return transferCoding(req.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING));
  }

  /**
   * A control character (NUL, CR, TAB...) in the target is not valid in a URI (RFC 3986) and each
   * origin would read it its own way, so it never goes further.
   */
  static Refusal controlCharacter(String uri) {
    for (int i = 0; i < uri.length(); i++) {
      char c = uri.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return new Refusal(EdgeRefusal.BAD_REQUEST,
            String.format("control character 0x%02x at position %d of the request target", (int) c, i));
      }
    }
    return null;
  }

  /** Content-Length is 1*DIGIT (RFC 9110 §8.6), one value, small enough to count. */
  static Refusal contentLength(List<String> values) {
    if (values.isEmpty()) return null;
    if (bodyLength(values) < 0) {
      return new Refusal(EdgeRefusal.BAD_REQUEST, "Content-Length \"" + String.join(", ", values) + "\" is not one non-negative number");
    }
    return null;
  }

  /** The body length the Content-Length values give, or -1 when they are not one valid number. */
  public static long bodyLength(List<String> values) {
    long length = -1;
    for (String line : values) {
      for (String v : line.split(",", -1)) {
        String t = v.trim();
        if (t.isEmpty() || t.length() > 18 || !t.chars().allMatch(ch -> ch >= '0' && ch <= '9')) return -1;
        long n = Long.parseLong(t);
        if (length >= 0 && n != length) return -1;
        length = n;
      }
    }
    return length;
  }

  /**
   * The Transfer-Encoding lines of a request, combined in order as one list (RFC 9110 §5.3). The
   * body's length is only knowable when chunked is the final coding (RFC 9112 §6.3), and chunked
   * may appear once (§6.1); anything else is a 400. A coding before chunked (gzip, chunked) is
   * valid HTTP but not forwarded faithfully by the edge, which re-chunks the body: 501, as nginx.
   */
  static Refusal transferCoding(List<String> lines) {
    if (lines.isEmpty()) return null;
    List<String> codings = new ArrayList<>();
    for (String line : lines) {
      for (String element : line.split(",")) {
        String coding = element.trim().toLowerCase(Locale.ROOT);
        if (!coding.isEmpty()) codings.add(coding);
      }
    }
    String combined = String.join(", ", codings);
    if (codings.isEmpty() || !codings.get(codings.size() - 1).equals("chunked")) {
      return new Refusal(EdgeRefusal.BAD_REQUEST, "Transfer-Encoding \"" + combined
          + "\" does not end in chunked, so the body has no knowable length (RFC 9112 §6.3)");
    }
    if (codings.indexOf("chunked") != codings.size() - 1) {
      return new Refusal(EdgeRefusal.BAD_REQUEST, "Transfer-Encoding \"" + combined + "\" applies chunked more than once (RFC 9112 §6.1)");
    }
    if (codings.size() > 1) {
      return new Refusal(EdgeRefusal.TRANSFER_CODING_NOT_IMPLEMENTED, "Transfer-Encoding \"" + combined
          + "\": only chunked alone is forwarded");
    }
    return null;
  }

  static Refusal hostRules(String host, String path, HttpRequest req) {
    if (path == null || !(path.startsWith("/") || path.equals("*"))) {
      return new Refusal(EdgeRefusal.BAD_REQUEST, "request target is not a path: " + req.uri());
    }
    if (host.isEmpty()) return new Refusal(EdgeRefusal.BAD_REQUEST, "empty host");
    if (isIpLiteral(host)) return new Refusal(EdgeRefusal.DIRECT_IP, "request for IP address " + host);
    return null;
  }

  static boolean isAbsolute(String uri) {
    return uri.regionMatches(true, 0, "http://", 0, 7) || uri.regionMatches(true, 0, "https://", 0, 8);
  }

  static boolean isIpLiteral(String host) {
    if (host.startsWith("[")) return true;
    if (host.indexOf(':') >= 0) return true;
    // most hosts end in a letter: skip the pattern for them, it runs on every request
    if (host.isEmpty() || !Character.isDigit(host.charAt(host.length() - 1))) return false;
    return IPV4_LIKE.matcher(host).matches();
  }
}
