package io.edgeray.incident;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * What changed on this edge, newest last: config reloads, pool and origin state changes,
 * certificate rotations. An incident quotes the changes since the host's last good minute, so
 * "it began right after the reload" is in the record. Bounded: the oldest entries go first.
 */
public final class ChangeFeed {
  /** The kinds of change, as the JSON writes them. */
  public static final String CONFIG_RELOAD = "config_reload";
  public static final String POOL_STATE = "pool_state";
  public static final String ORIGIN_EJECTED = "origin_ejected";
  public static final String CERTIFICATE = "certificate";
  static final int KEPT = 256;

  private final Clock clock;
  private final Deque<IncidentRecord.Change> changes = new ArrayDeque<>(); // guarded by this
  private final List<Consumer<IncidentRecord.Change>> listeners = new CopyOnWriteArrayList<>();

  public ChangeFeed(Clock clock) {
    this.clock = clock;
  }

  /** Notes a change that happened now. */
  public void add(String kind, String what) {
    IncidentRecord.Change c = new IncidentRecord.Change(clock.instant().toString(), kind, what);
    synchronized (this) {
      if (changes.size() == KEPT) changes.removeFirst();
      changes.addLast(c);
    }
    for (Consumer<IncidentRecord.Change> l : listeners) l.accept(c);
  }

  /** The changes at or after {@code since}, oldest first. */
  synchronized List<IncidentRecord.Change> since(Instant since) {
    return changes.stream().filter(c -> !Instant.parse(c.time()).isBefore(since)).toList();
  }

  void onChange(Consumer<IncidentRecord.Change> listener) {
    listeners.add(listener);
  }
}
