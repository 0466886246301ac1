package io.edgeray.incident;

import io.edgeray.failure.OriginFailure;
import io.edgeray.observe.Attempt;
import io.edgeray.observe.RaySummary;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An incident while the edge keeps it: counted into from the event loops, diagnosed and closed
 * from the incidents' own thread, read by the admin API; every method holds the lock. Everything
 * it keeps is bounded, however long the storm.
 */
final class Incident {
  static final int RAYS_KEPT = 10;
  static final int ORIGINS_KEPT = 20;
  static final int MINUTES_KEPT = 24 * 60;
  static final int CHANGES_KEPT = 50;
  private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  final String id;
  final String host;
  final String zone;
  final Instant started;
  private Instant ended;
  private long rays;
  private long failures;
  private final CodeCounts codes = new CodeCounts();
  private final LinkedHashMap<Long, MinuteCounts> minutes = new LinkedHashMap<>();
  private MinuteCounts current; // the minute the last ray went into
  private final Set<String> origins = new LinkedHashSet<>();
  private final Set<String> pools = new LinkedHashSet<>();
  private final List<String> sampleRays = new ArrayList<>();
  private final List<IncidentRecord.Change> changes = new ArrayList<>();
  private IncidentRecord.DoctorRun diagnosis;
  private IncidentRecord.DoctorRun closingDiagnosis;

  Incident(String host, String zone, Instant started) {
    this(ID_TIME.format(started) + "-" + String.format("%06x", ThreadLocalRandom.current().nextInt(1 << 24)), host, zone,
        started);
  }

  private Incident(String id, String host, String zone, Instant started) {
    this.id = id;
    this.host = host;
    this.zone = zone;
    this.started = started;
  }

  /** The incident as a file or an earlier run kept it. */
  static Incident of(IncidentRecord r) {
    Incident i = new Incident(r.id(), r.host(), r.zone(), Instant.parse(r.started()));
    i.ended = r.ended() == null ? null : Instant.parse(r.ended());
    i.rays = r.rays();
    i.failures = r.failures();
    i.codes.addText(r.codes());
    for (IncidentRecord.Minute m : r.minutes()) {
      MinuteCounts c = MinuteCounts.of(m);
      i.minutes.put(c.minute, c);
    }
    i.origins.addAll(r.origins());
    i.pools.addAll(r.pools());
    i.sampleRays.addAll(r.sampleRays());
    i.changes.addAll(r.changes());
    i.diagnosis = r.diagnosis();
    i.closingDiagnosis = r.closingDiagnosis();
    return i;
  }

  /** The code a ray counts as: its origin failure's (521...), or 0 when the origin answered. */
  static int failureCode(RaySummary r) {
    return r.error() instanceof OriginFailure f ? f.code() : 0;
  }

  synchronized void record(RaySummary r, long minute) {
    int code = failureCode(r);
    MinuteCounts m = current != null && current.minute == minute ? current : null; // no boxed key per ray
    if (m == null) {
      current = m = minutes.computeIfAbsent(minute, MinuteCounts::new);
      if (minutes.size() > MINUTES_KEPT) minutes.remove(minutes.keySet().iterator().next());
    }
    m.add(code);
    rays++;
    if (code == 0) return;
    failures++;
    codes.add(code, 1);
    failed(r);
  }

  /** The minutes the host had before the threshold was crossed, so the record starts with the rise. */
  synchronized void seed(List<MinuteCounts> before, List<RaySummary> failed) {
    for (MinuteCounts m : before) {
      minutes.put(m.minute, m.copy());
      rays += m.rays;
      failures += m.failures;
      codes.addAll(m.codes);
    }
    failed.forEach(this::failed);
  }

  /** A failed ray's id, origin addresses and configured pools, as far as the bounds allow. */
  private void failed(RaySummary r) {
    if (sampleRays.size() < RAYS_KEPT) sampleRays.add(r.ray());
    List<Attempt> attempts = r.attempts();
    for (int i = 0; i < attempts.size(); i++) { // every failed ray of an outage: no iterator (3 % of a stale hit's allocation)
      Attempt a = attempts.get(i);
      if (a.failure() == null) continue;
      if (a.origin() != null && origins.size() < ORIGINS_KEPT) origins.add(a.origin());
      // pool.origin of a configured pool (names without dots); an implicit pool of records has no webhook to tell
      String p = a.poolOrigin();
      if (p != null && !p.startsWith("records:") && p.indexOf('.') > 0 && pools.size() < ORIGINS_KEPT) {
        pools.add(p.substring(0, p.indexOf('.')));
      }
    }
  }

  synchronized void changed(IncidentRecord.Change c) {
    if (changes.size() < CHANGES_KEPT && !changes.contains(c)) changes.add(c);
  }

  synchronized void changed(List<IncidentRecord.Change> cs) {
    cs.forEach(this::changed);
  }

  synchronized void close(Instant at) {
    ended = at;
  }

  synchronized boolean isOpen() {
    return ended == null;
  }

  synchronized void diagnosed(IncidentRecord.DoctorRun run) {
    diagnosis = run;
  }

  synchronized void diagnosedAtClose(IncidentRecord.DoctorRun run) {
    closingDiagnosis = run;
  }

  /** The pool names (as configured, or an implicit pool's {@code records:...}) whose origins failed. */
  synchronized List<String> pools() {
    return List.copyOf(pools);
  }

  synchronized IncidentRecord record() {
    return new IncidentRecord(id, host, zone, ended == null ? "open" : "closed", started.toString(),
        ended == null ? null : ended.toString(), rays, failures, codes.asText(),
        minutes.values().stream().map(MinuteCounts::record).toList(), List.copyOf(origins), List.copyOf(pools),
        List.copyOf(sampleRays), List.copyOf(changes), diagnosis, closingDiagnosis);
  }
}
