package io.edgeray.incident;

import java.time.Instant;

/** One minute of one host: its rays, the origin failures among them, and their codes. Not thread-safe. */
final class MinuteCounts {
  final long minute; // epoch minute
  long rays;
  long failures;
  final CodeCounts codes = new CodeCounts();

  MinuteCounts(long minute) {
    this.minute = minute;
  }

  void add(int failureCode) {
    rays++;
    if (failureCode > 0) {
      failures++;
      codes.add(failureCode, 1);
    }
  }

  MinuteCounts copy() {
    MinuteCounts c = new MinuteCounts(minute);
    c.rays = rays;
    c.failures = failures;
    c.codes.addAll(codes);
    return c;
  }

  IncidentRecord.Minute record() {
    return new IncidentRecord.Minute(Instant.ofEpochSecond(minute * 60).toString(), rays, failures, codes.asText());
  }

  static MinuteCounts of(IncidentRecord.Minute m) {
    MinuteCounts c = new MinuteCounts(Instant.parse(m.minute()).getEpochSecond() / 60);
    c.rays = m.rays();
    c.failures = m.failures();
    c.codes.addText(m.codes());
    return c;
  }
}
