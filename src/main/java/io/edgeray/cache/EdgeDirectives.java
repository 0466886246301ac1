package io.edgeray.cache;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;

/**
 * The directives the edge obeys for a response (RFC 9213 §2.1): the first targeted field with a
 * valid, non-empty value ({@code Edgeray-CDN-Cache-Control}, then {@code CDN-Cache-Control}),
 * in which case Cache-Control and Expires are ignored by the edge; otherwise Cache-Control.
 *
 * @param targeted true when a targeted field was used (Expires no longer counts)
 */
public record EdgeDirectives(CacheControl directives, boolean targeted) {
  public static final List<String> TARGET_FIELDS = List.of("Edgeray-CDN-Cache-Control", "CDN-Cache-Control");

  public static EdgeDirectives of(HttpHeaders response) {
    for (String field : TARGET_FIELDS) {
      List<String> lines = response.getAll(field);
      if (lines.isEmpty()) continue;
      CacheControl cc = CacheControl.parse(lines);
      if (!cc.isEmpty()) return new EdgeDirectives(cc, true);
    }
    return new EdgeDirectives(CacheControl.of(response), false);
  }

  public boolean has(String directive) {
    return directives.has(directive);
  }

  /** must-revalidate, proxy-revalidate or s-maxage: a stale copy may not be used without the origin (§4.2.4, §5.2.2). */
  public boolean forbidsStale() {
    return directives.has("must-revalidate") || directives.has("proxy-revalidate") || directives.has("s-maxage");
  }
}
