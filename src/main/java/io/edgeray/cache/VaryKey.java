package io.edgeray.cache;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** The secondary key of a response with Vary (RFC 9111 §4.1). Pure. */
public final class VaryKey {
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private VaryKey() {}

  /** The header names a response varies on, lower case and sorted; empty without Vary. */
  public static List<String> names(HttpHeaders response) {
    TreeSet<String> names = new TreeSet<>();
    for (String line : response.getAll("Vary")) {
      for (String n : line.split(",")) {
        String t = n.trim().toLowerCase(Locale.ROOT);
        if (!t.isEmpty()) names.add(t);
      }
    }
    return List.copyOf(names);
  }

  /** The request's values for those names, whitespace normalized; an absent header is an empty string. */
  public static List<String> values(List<String> names, HttpHeaders request) {
    if (names.isEmpty()) return List.of(); // most responses vary on nothing
    List<String> out = new ArrayList<>(names.size());
    for (String n : names) {
      List<String> parts = new ArrayList<>();
      for (String line : request.getAll(n)) {
        for (String p : line.split(",")) {
          String t = WHITESPACE.matcher(p.trim()).replaceAll(" ");
          if (!t.isEmpty()) parts.add(t);
        }
      }
      out.add(String.join(",", parts));
    }
    return List.copyOf(out);
  }

  /** The storage key of one variant: the primary key alone when nothing varies. */
  public static String storageKey(String primary, List<String> names, List<String> values) {
    if (names.isEmpty()) return primary;
    StringBuilder b = new StringBuilder(primary);
    for (int i = 0; i < names.size(); i++) b.append("\nv:").append(names.get(i)).append('=').append(values.get(i));
    return b.toString();
  }
}
