package io.edgeray.incident;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** One minute of one host: its rays, the origin failures among them, and their codes. Not thread-safe. */
final class MinuteCounts {
  final long minute; // epoch minute
  long rays;
  long failures;
  final TreeMap<Integer, Long> codes = new TreeMap<>();

  MinuteCounts(long minute) {
    this.minute = minute;
  }

  void add(int failureCode) {
    rays++;
    if (failureCode > 0) {
      failures++;
      codes.merge(failureCode, 1L, Long::sum);
    }
  }

  MinuteCounts copy() {
    MinuteCounts c = new MinuteCounts(minute);
    c.rays = rays;
    c.failures = failures;
    c.codes.putAll(codes);
    return c;
  }

  IncidentRecord.Minute record() {
    return new IncidentRecord.Minute(Instant.ofEpochSecond(minute * 60).toString(), rays, failures, codesAsText(codes));
  }

  static MinuteCounts of(IncidentRecord.Minute m) {
    MinuteCounts c = new MinuteCounts(Instant.parse(m.minute()).getEpochSecond() / 60);
    c.rays = m.rays();
    c.failures = m.failures();
    m.codes().forEach((code, n) -> c.codes.put(Integer.parseInt(code), n));
    return c;
  }

  static Map<String, Long> codesAsText(Map<Integer, Long> codes) {
    Map<String, Long> out = new LinkedHashMap<>();
    codes.forEach((k, v) -> out.put(Integer.toString(k), v));
    return out;
  }
}
