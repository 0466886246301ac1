package io.edgeray.cache;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The directives of one or more Cache-Control field lines (RFC 9111 §5.2), or of a targeted field
 * with the same syntax (RFC 9213). Names are lower case; a directive without an argument maps to
 * null. The first occurrence of a repeated directive wins (§4.2.1). Netty has no parser for this.
 */
public final class CacheControl {
  /** RFC 9111 §1.2.2: delta-seconds too large are 2^31. */
  static final long MAX_DELTA = 2147483648L;
  public static final CacheControl EMPTY = new CacheControl(Map.of());

  private final Map<String, String> directives;

  private CacheControl(Map<String, String> directives) {
    this.directives = directives;
  }

  public static CacheControl parse(List<String> fieldLines) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : fieldLines) parseInto(line, out);
    return out.isEmpty() ? EMPTY : new CacheControl(Collections.unmodifiableMap(out));
  }

  public static CacheControl parse(String fieldValue) {
    return parse(fieldValue == null ? List.of() : List.of(fieldValue));
  }

  /** The request's or a response's Cache-Control. */
  public static CacheControl of(HttpHeaders headers) {
    return parse(headers.getAll("Cache-Control"));
  }

  private static void parseInto(String s, Map<String, String> out) {
    int i = 0;
    int n = s.length();
    while (i < n) {
      while (i < n && (s.charAt(i) == ',' || s.charAt(i) == ' ' || s.charAt(i) == '\t')) i++;
      int start = i;
      while (i < n && s.charAt(i) != '=' && s.charAt(i) != ',') i++;
      String name = s.substring(start, i).trim().toLowerCase(Locale.ROOT);
      String value = null;
      if (i < n && s.charAt(i) == '=') {
        i++;
        while (i < n && s.charAt(i) == ' ') i++;
        if (i < n && s.charAt(i) == '"') {
          StringBuilder v = new StringBuilder();
          i++;
          while (i < n && s.charAt(i) != '"') {
            if (s.charAt(i) == '\\' && i + 1 < n) i++;
            v.append(s.charAt(i++));
          }
          i++; // closing quote
          value = v.toString();
          while (i < n && s.charAt(i) != ',') i++;
        } else {
          int vs = i;
          while (i < n && s.charAt(i) != ',') i++;
          value = s.substring(vs, i).trim();
        }
      }
      if (!name.isEmpty()) out.putIfAbsent(name, value);
    }
  }

  public boolean has(String directive) {
    return directives.containsKey(directive);
  }

  public boolean isEmpty() {
    return directives.isEmpty();
  }

  /** The directive's argument, or null when absent or without one. */
  public String argument(String directive) {
    return directives.get(directive);
  }

  /**
   * A delta-seconds argument. Present but not a number (or without an argument) reads as 0, which
   * makes the response stale rather than fresh for ever: the safe reading of a broken directive.
   */
  public OptionalLong seconds(String directive) {
    if (!directives.containsKey(directive)) return OptionalLong.empty();
    String v = directives.get(directive);
    if (v == null || v.isEmpty()) return OptionalLong.of(0);
    for (int i = 0; i < v.length(); i++) if (!Character.isDigit(v.charAt(i))) return OptionalLong.of(0);
    if (v.length() > 10) return OptionalLong.of(MAX_DELTA);
    return OptionalLong.of(Math.min(Long.parseLong(v), MAX_DELTA));
  }

  /** The field names of a qualified {@code no-cache="a, b"} or {@code private="a"}; empty when unqualified. */
  public List<String> fieldNames(String directive) {
    String v = directives.get(directive);
    if (v == null) return List.of();
    List<String> names = new ArrayList<>();
    for (String part : v.split(",")) {
      String t = part.trim().toLowerCase(Locale.ROOT);
      if (!t.isEmpty()) names.add(t);
    }
    return names;
  }

  /** A directive present without field names: {@code no-cache} rather than {@code no-cache="Set-Cookie"}. */
  public boolean hasUnqualified(String directive) {
    return has(directive) && fieldNames(directive).isEmpty();
  }

  public Map<String, String> asMap() {
    return directives;
  }

  @Override
  public String toString() {
    return directives.toString();
  }
}
