package io.edgeray.security;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last events of each zone, in memory: at most {@code perZone} each, the oldest dropped first.
 * Zones are the config's (plus "-"), so the number of rings is bounded too. Thread-safe.
 */
public final class SecurityEventLog {
  public static final int DEFAULT_PER_ZONE = 1000;

  private final int perZone;
  private final Map<String, ArrayDeque<SecurityEvent>> zones = new ConcurrentHashMap<>();

  public SecurityEventLog() {
    this(DEFAULT_PER_ZONE);
  }

  public SecurityEventLog(int perZone) {
    if (perZone < 1) throw new IllegalArgumentException("perZone must be at least 1");
    this.perZone = perZone;
  }

  public void add(SecurityEvent e) {
    ArrayDeque<SecurityEvent> ring = zones.computeIfAbsent(e.zone(), z -> new ArrayDeque<>());
    synchronized (ring) {
      if (ring.size() == perZone) ring.removeFirst();
      ring.addLast(e);
    }
  }

  /** The zone's events that match, newest first. */
  public List<SecurityEvent> events(String zone, EventQuery query) {
    ArrayDeque<SecurityEvent> ring = zones.get(zone);
    if (ring == null) return List.of();
    List<SecurityEvent> out = new ArrayList<>();
    synchronized (ring) {
      for (Iterator<SecurityEvent> it = ring.descendingIterator(); it.hasNext() && out.size() < query.limit(); ) {
        SecurityEvent e = it.next();
        if (query.matches(e)) out.add(e);
      }
    }
    return out;
  }
}
