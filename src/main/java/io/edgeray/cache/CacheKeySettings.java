package io.edgeray.cache;

import java.util.List;

/**
 * What besides scheme, host and path goes into a zone's cache key.
 *
 * @param query whether the query string is part of the key, left out, or sorted first
 * @param headers request headers whose values are part of the key (lower case)
 * @param cookies cookie names whose values are part of the key
 */
public record CacheKeySettings(QueryMode query, List<String> headers, List<String> cookies) {
  public static final CacheKeySettings DEFAULTS = new CacheKeySettings(QueryMode.INCLUDE, List.of(), List.of());

  public CacheKeySettings {
    headers = headers.stream().map(h -> h.toLowerCase(java.util.Locale.ROOT)).toList();
    cookies = List.copyOf(cookies);
  }

  /** How the query string enters the key. */
  public enum QueryMode {
    /** as sent: {@code ?b=1&a=2} and {@code ?a=2&b=1} are two objects */
    INCLUDE,
    /** left out: every query string shares one object */
    IGNORE,
    /** parameters sorted by name first: the two above are one object */
    SORT
  }
}
