package io.edgeray.cache;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * What to remove from a zone's cache: URLs ({@code https://shop.example/a.css}; without a scheme
 * both schemes), URL prefixes (scheme-less, {@code shop.example/assets/}), Cache-Tag values, or
 * everything.
 */
public record Purge(List<String> files, List<String> prefixes, List<String> tags, boolean everything) {
  public Purge {
    files = List.copyOf(files);
    prefixes = List.copyOf(prefixes);
    tags = tags.stream().map(t -> t.trim().toLowerCase(Locale.ROOT)).toList();
  }

  public static Purge everythingInZone() {
    return new Purge(List.of(), List.of(), List.of(), true);
  }

  public static Purge files(String... urls) {
    return new Purge(List.of(urls), List.of(), List.of(), false);
  }

  public static Purge prefixes(String... prefixes) {
    return new Purge(List.of(), List.of(prefixes), List.of(), false);
  }

  public static Purge tags(String... tags) {
    return new Purge(List.of(), List.of(), List.of(tags), false);
  }

  /** Which stored heads of {@code zone} this purge removes. */
  Predicate<EntryMeta> matcher(String zone) {
    Set<String> exact = files.stream().map(Purge::normalize).collect(Collectors.toSet());
    List<String> starts = prefixes.stream().map(p -> withoutScheme(normalize(p))).toList();
    Set<String> tagSet = Set.copyOf(tags);
    return m -> {
      if (!m.zone().equals(zone)) return false;
      if (everything) return true;
      if (exact.contains(m.url()) || exact.contains(withoutScheme(m.url()))) return true;
      String bare = withoutScheme(m.url());
      for (String s : starts) if (bare.startsWith(s)) return true;
      for (String t : m.tags()) if (tagSet.contains(t)) return true;
      return false;
    };
  }

  /** Scheme and host lower case, no fragment. */
  static String normalize(String url) {
    String u = url.trim();
    int hash = u.indexOf('#');
    if (hash >= 0) u = u.substring(0, hash);
    int schemeEnd = u.indexOf("://");
    int hostStart = schemeEnd < 0 ? 0 : schemeEnd + 3;
    int pathStart = u.indexOf('/', hostStart);
    if (pathStart < 0) {
      u = u + "/";
      pathStart = u.length() - 1;
    }
    return u.substring(0, pathStart).toLowerCase(Locale.ROOT) + u.substring(pathStart);
  }

  static String withoutScheme(String url) {
    int i = url.indexOf("://");
    return i < 0 ? url : url.substring(i + 3);
  }
}
