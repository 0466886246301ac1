package io.edgeray.incident;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * How many rays failed with each code, in code order. During an outage every failed ray adds to
 * two or three of these (the minute's, the incident's), so the origin failure codes 520 to 530
 * are plain counters; a map, with its boxed keys and values, holds only any other code. Not thread-safe.
 */
final class CodeCounts {
  private static final int FIRST = 520;
  private final long[] common = new long[11];
  private TreeMap<Integer, Long> others; // null until a code outside 520-530 comes

  void add(int code, long n) {
    int i = code - FIRST;
    if (i >= 0 && i < common.length) {
      common[i] += n;
    } else {
      if (others == null) others = new TreeMap<>();
      others.merge(code, n, Long::sum);
    }
  }

  void addAll(CodeCounts c) {
    for (int i = 0; i < common.length; i++) common[i] += c.common[i];
    if (c.others != null) c.others.forEach(this::add);
  }

  /** As the records and the API write them: code as text, count, in code order. */
  Map<String, Long> asText() {
    Map<String, Long> out = new LinkedHashMap<>();
    if (others != null) others.headMap(FIRST).forEach((k, v) -> out.put(Integer.toString(k), v));
    for (int i = 0; i < common.length; i++) if (common[i] > 0) out.put(Integer.toString(FIRST + i), common[i]);
    if (others != null) others.tailMap(FIRST).forEach((k, v) -> out.put(Integer.toString(k), v));
    return out;
  }

  /** Counts as {@link #asText()} wrote them. */
  void addText(Map<String, Long> codes) {
    codes.forEach((code, n) -> add(Integer.parseInt(code), n));
  }
}
