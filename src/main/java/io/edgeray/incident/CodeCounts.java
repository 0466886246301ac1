package io.edgeray.incident;

import io.edgeray.failure.OriginFailure;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * How many rays failed with each code, in code order. During an outage every failed ray adds to
 * two or three of these (the minute's, the incident's), so the codes of origin failures are plain
 * counters by {@link OriginFailure#codeSlot}; a map, with its boxed keys and values, holds only a
 * code read back from an older record that no failure has now. Not thread-safe.
 */
final class CodeCounts {
  private final long[] byFailure = new long[OriginFailure.codeSlots()];
  private TreeMap<Integer, Long> others; // null until such a code comes

  void add(int code, long n) {
    int slot = OriginFailure.codeSlot(code);
    if (slot >= 0) {
      byFailure[slot] += n;
    } else {
      if (others == null) others = new TreeMap<>();
      others.merge(code, n, Long::sum);
    }
  }

  void addAll(CodeCounts c) {
    for (int i = 0; i < byFailure.length; i++) byFailure[i] += c.byFailure[i];
    if (c.others != null) c.others.forEach(this::add);
  }

  /** As the records and the API write them: code as text, count, in code order. */
  Map<String, Long> asText() {
    TreeMap<Integer, Long> all = others == null ? new TreeMap<>() : new TreeMap<>(others);
    for (int i = 0; i < byFailure.length; i++) if (byFailure[i] > 0) all.put(OriginFailure.codeAt(i), byFailure[i]);
    Map<String, Long> out = new LinkedHashMap<>();
    all.forEach((k, v) -> out.put(Integer.toString(k), v));
    return out;
  }

  /** Counts as {@link #asText()} wrote them. */
  void addText(Map<String, Long> codes) {
    codes.forEach((code, n) -> add(Integer.parseInt(code), n));
  }
}
