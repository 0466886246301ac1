package io.edgeray.cache;

import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The optional banner on a stale HTML copy served because the origin failed (a zone's
 * {@code always_online: { banner: true }}): one sentence with the ray id, inserted right after
 * the {@code <body…>} tag. Only whole 200 answers of uncompressed HTML up to {@link #MAX_PAGE}
 * get it; anything else (compressed, other types, ranges, HEAD, no body tag) is sent untouched.
 */
public final class StaleBanner {
  public static final String SENTENCE = "You are seeing a saved copy of this page; the site's server is not answering right now.";
  /** Pages are read whole to insert the banner: larger ones are sent as stored. */
  public static final int MAX_PAGE = 2 * 1024 * 1024;
  private static final Pattern BODY_TAG = Pattern.compile("<body(\\s[^>]*)?>", Pattern.CASE_INSENSITIVE);

  private StaleBanner() {}

  /** Whether a stored answer may carry the banner. */
  public static boolean applies(int status, HttpHeaders headers, String method) {
    if (status != 200 || !method.equals("GET")) return false;
    String type = headers.get("Content-Type");
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("text/html")) return false;
    String coding = headers.get("Content-Encoding");
    if (coding != null && !coding.trim().equalsIgnoreCase("identity")) return false;
    String length = headers.get("Content-Length");
    try {
      return length != null && Long.parseLong(length.trim()) <= MAX_PAGE;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** The page with the banner after its body tag, or null when it has none. ISO-8859-1 keeps every byte as it was. */
  public static byte[] insert(byte[] page, String rayId) {
    String text = new String(page, StandardCharsets.ISO_8859_1);
    Matcher m = BODY_TAG.matcher(text);
    if (!m.find()) return null;
    String banner = "<div role=\"status\" style=\"margin:0;padding:10px 16px;background:#fff4d6;color:#5c4400;"
        + "border-bottom:1px solid #e0c36b;font:15px/1.4 system-ui,sans-serif\">" + SENTENCE
        + " Ray ID: <code>" + escape(rayId) + "</code></div>";
    return (text.substring(0, m.end()) + banner + text.substring(m.end())).getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
