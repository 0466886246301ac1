package io.edgeray.cache;

import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * Conditional requests against a stored response (RFC 9110 §13.1, §13.2.2; RFC 9111 §4.3):
 * answering a visitor's If-None-Match / If-Modified-Since with 304, the validators the edge sends
 * the origin, and merging the origin's 304 into the stored head (§4.3.4). Pure.
 */
public final class Conditionals {
  /** Fields a 304 never replaces in the stored head (§3.2): they describe the stored body. */
  private static final Set<String> NOT_UPDATED = Set.of(
      "content-length", "content-encoding", "content-range", "transfer-encoding", "connection", "keep-alive",
      "proxy-connection", "te", "trailer", "upgrade");
  /** What a 304 carries from the 200 it stands for (RFC 9110 §15.4.5). */
  private static final List<String> NOT_MODIFIED_FIELDS = List.of(
      "Cache-Control", "Content-Location", "Date", "ETag", "Expires", "Vary", "Last-Modified", "Cache-Tag");

  private Conditionals() {}

  /** Whether the visitor's conditional GET or HEAD is answered 304 by the stored response. */
  public static boolean notModified(HttpHeaders request, HttpHeaders stored) {
    if (request.contains(HttpHeaderNames.IF_NONE_MATCH)) {
      List<String> inm = request.getAll(HttpHeaderNames.IF_NONE_MATCH);
      String etag = stored.get("ETag");
      for (String line : inm) {
        for (String tag : line.split(",")) {
          String t = tag.trim();
          if (t.equals("*")) return true;
          if (etag != null && weakMatch(t, etag.trim())) return true;
        }
      }
      return false; // If-Modified-Since is ignored when If-None-Match is present
    }
    String ims = request.get(HttpHeaderNames.IF_MODIFIED_SINCE);
    if (ims == null) return false;
    Date since = DateFormatter.parseHttpDate(ims);
    String lm = stored.get("Last-Modified");
    Date modified = lm == null ? null : DateFormatter.parseHttpDate(lm);
    if (since == null || modified == null) return false;
    return !modified.after(since);
  }

  /** Weak comparison (§8.8.3.2): the opaque tags equal, W/ or not. */
  public static boolean weakMatch(String a, String b) {
    return opaque(a).equals(opaque(b));
  }

  /** Strong comparison: neither weak, and equal. */
  public static boolean strongMatch(String a, String b) {
    return !a.startsWith("W/") && !b.startsWith("W/") && a.equals(b);
  }

  private static String opaque(String tag) {
    return tag.startsWith("W/") ? tag.substring(2) : tag;
  }

  /** The headers of a 304 answering a visitor from the stored response. */
  public static HttpHeaders notModifiedHeaders(HttpHeaders stored) {
    HttpHeaders h = new DefaultHttpHeaders();
    for (String name : NOT_MODIFIED_FIELDS) {
      List<String> values = stored.getAll(name);
      if (!values.isEmpty()) h.set(name, values);
    }
    return h;
  }

  /**
   * The validators to send the origin for a stored response: its ETag as If-None-Match and its
   * Last-Modified as If-Modified-Since. Empty when it has neither (the origin sends it whole).
   */
  public static HttpHeaders revalidationHeaders(HttpHeaders stored) {
    HttpHeaders h = new DefaultHttpHeaders();
    String etag = stored.get("ETag");
    if (etag != null) h.set("If-None-Match", etag);
    String lm = stored.get("Last-Modified");
    if (lm != null) h.set("If-Modified-Since", lm);
    return h;
  }

  /** Whether the origin's 304 is about this stored response (§4.3.3): a differing ETag is not. */
  public static boolean validates(HttpHeaders stored, HttpHeaders notModified) {
    String fresh = notModified.get("ETag");
    String old = stored.get("ETag");
    return fresh == null || old == null || weakMatch(fresh.trim(), old.trim());
  }

  /** The stored head updated by a 304 (§3.2, §4.3.4): each field the 304 sends replaces the stored one. */
  public static HttpHeaders merge(HttpHeaders stored, HttpHeaders notModified) {
    HttpHeaders out = new DefaultHttpHeaders().add(stored);
    for (String name : notModified.names()) {
      if (NOT_UPDATED.contains(name.toLowerCase(java.util.Locale.ROOT))) continue;
      out.set(name, notModified.getAll(name));
    }
    return out;
  }
}
