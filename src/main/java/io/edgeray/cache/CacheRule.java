package io.edgeray.cache;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A cache rule of a zone: requests whose host and path match get its treatment. The first rule
 * that matches wins.
 *
 * @param host an exact host name, {@code *.shop.example} for its subdomains, or null for any host
 * @param path a path pattern where {@code *} stands for any characters (including {@code /}), or null for any path
 * @param bypass never served from or stored in the cache
 * @param cacheEverything store responses without freshness information (HTML too), for {@code edgeTtl} or the zone's default
 * @param edgeTtl how long the edge keeps an object, whatever the origin says (null: as the zone says)
 * @param browserTtl the max-age sent to visitors instead of the origin's (null: as the zone says)
 * @param cacheSetCookie store responses with Set-Cookie (the stored copy never carries the cookie)
 */
public record CacheRule(
    String host,
    String path,
    boolean bypass,
    boolean cacheEverything,
    Duration edgeTtl,
    Duration browserTtl,
    boolean cacheSetCookie) {

  public CacheRule {
    host = host == null ? null : host.toLowerCase(Locale.ROOT);
  }

  /** A rule that does nothing: the zone's own settings apply. */
  public static final CacheRule NONE = new CacheRule(null, null, false, false, null, null, false);

  public boolean matches(String requestHost, String requestPath) {
    if (host != null) {
      String h = requestHost.toLowerCase(Locale.ROOT);
      if (host.startsWith("*.")) {
        if (!h.endsWith(host.substring(1))) return false;
      } else if (!host.equals(h)) {
        return false;
      }
    }
    return path == null || glob(path).matcher(requestPath).matches();
  }

  private static final java.util.Map<String, Pattern> PATTERNS = new java.util.concurrent.ConcurrentHashMap<>();

  /** {@code /assets/*} as a regular expression: every {@code *} is any run of characters. */
  static Pattern glob(String pattern) {
    return PATTERNS.computeIfAbsent(pattern, p -> {
      StringBuilder re = new StringBuilder();
      String[] parts = p.split("\\*", -1);
      for (int i = 0; i < parts.length; i++) {
        if (i > 0) re.append(".*");
        if (!parts[i].isEmpty()) re.append(Pattern.quote(parts[i]));
      }
      return Pattern.compile(re.toString());
    });
  }
}
