package io.edgeray.pool;

import io.edgeray.failure.OriginFailure;
import io.edgeray.config.PoolSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A pool at run time: its origins' live states, the steering that picks among the available ones,
 * and the pool's own status. Every origin or pool state change goes to {@code changes}.
 */
public final class Pool {
  private final PoolSpec spec;
  private final List<OriginState> origins;
  /** The enabled origins in config order; enabled is config, so it is fixed for this pool's life. */
  private final List<OriginState> enabled;
  private final Consumer<StateChange> changes;
  private final AtomicLong turn = new AtomicLong();
  private PoolStatus status; // guarded by this

  Pool(PoolSpec spec, List<OriginState> origins, Consumer<StateChange> changes) {
    this.spec = spec;
    this.origins = List.copyOf(origins);
    this.enabled = this.origins.stream().filter(o -> o.origin().enabled()).toList();
    this.changes = changes;
    this.status = computeStatus();
  }

  public PoolSpec spec() {
    return spec;
  }

  public String name() {
    return spec.name();
  }

  public List<OriginState> origins() {
    return origins;
  }

  public synchronized PoolStatus status() {
    return status;
  }

  /**
   * The origin steering picks among the available ones not yet tried, or null.
   *
   * @param affinity the origin id from the visitor's affinity cookie, or null
   */
  OriginState pick(Set<OriginState> tried, String clientIp, String affinity, boolean evenUnavailable) {
    List<OriginState> candidates = new ArrayList<>(enabled.size());
    int withRoom = 0;
    for (OriginState o : enabled) {
      if (tried.contains(o) || !evenUnavailable && !o.available()) continue;
      candidates.add(o);
      if (o.connections().hasRoom()) withRoom++;
    }
    if (candidates.isEmpty()) return null;
    // an origin at its max_connections would make the request wait; a sibling with room is better
    if (withRoom > 0 && withRoom < candidates.size()) candidates.removeIf(o -> !o.connections().hasRoom());
    return switch (spec.steering()) {
      case ROUND_ROBIN -> roundRobin(candidates, tried.isEmpty());
      case WEIGHTED -> weighted(candidates);
      case LEAST_OUTSTANDING -> leastOutstanding(candidates);
      case COOKIE -> byAffinity(candidates, affinity, tried.isEmpty());
      case IP_HASH -> byHash(candidates, clientIp);
    };
  }

  private OriginState byAffinity(List<OriginState> candidates, String affinity, boolean firstTry) {
    for (OriginState o : candidates) if (o.id().equals(affinity)) return o;
    return roundRobin(candidates, firstTry);
  }

  /**
   * A retry takes the first origin in pool order that is left, not a turn, so one refusing origin
   * does not shift the rotation for everybody else.
   */
  private OriginState roundRobin(List<OriginState> candidates, boolean firstTry) {
    if (!firstTry) return candidates.get(0);
    return candidates.get((int) Math.floorMod(turn.getAndIncrement(), (long) candidates.size()));
  }

  private static OriginState weighted(List<OriginState> candidates) {
    int total = candidates.stream().mapToInt(o -> o.origin().weight()).sum();
    if (total <= 0) return candidates.get(ThreadLocalRandom.current().nextInt(candidates.size()));
    int r = ThreadLocalRandom.current().nextInt(total);
    for (OriginState o : candidates) {
      r -= o.origin().weight();
      if (r < 0) return o;
    }
    return candidates.get(candidates.size() - 1);
  }

  private OriginState leastOutstanding(List<OriginState> candidates) {
    int start = (int) Math.floorMod(turn.getAndIncrement(), (long) candidates.size());
    OriginState best = null;
    for (int i = 0; i < candidates.size(); i++) {
      OriginState o = candidates.get((start + i) % candidates.size());
      if (best == null || o.outstanding() < best.outstanding()) best = o;
    }
    return best;
  }

  /**
   * The visitor's IP picks a place among all enabled origins, so the choice does not move when
   * another origin comes or goes; when that one is not a candidate the next one in order is.
   */
  private OriginState byHash(List<OriginState> candidates, String clientIp) {
    int start = Math.floorMod(clientIp == null ? 0 : clientIp.hashCode() * 0x9E3779B1, enabled.size());
    for (int i = 0; i < enabled.size(); i++) {
      OriginState o = enabled.get((start + i) % enabled.size());
      if (candidates.contains(o)) return o;
    }
    return candidates.get(0);
  }

  /** Whether one more origin may be ejected without passing the pool's cap. */
  boolean mayEjectAnother() {
    long ejected = origins.stream().filter(OriginState::ejected).count();
    return ejected + 1 <= (long) origins.size() * spec.passive().maxEjectedPercent() / 100;
  }

  void originChanged(OriginState o, String oldState, String reason) {
    originChanged(o, oldState, reason, null);
  }

  void originChanged(OriginState o, String oldState, String reason, OriginFailure failure) {
    changes.accept(new StateChange(name(), o.origin().name(), oldState, o.status().word(), reason, failure, Instant.now()));
    PoolStatus before;
    PoolStatus after;
    synchronized (this) {
      before = status;
      after = computeStatus();
      status = after;
    }
    if (before != after) {
      changes.accept(new StateChange(name(), null, before.word(), after.word(),
          availableCount() + " of " + enabledCount() + " origins available (threshold " + spec.healthThreshold() + ")",
          null, Instant.now()));
    }
  }

  private PoolStatus computeStatus() {
    long available = availableCount();
    if (available < spec.healthThreshold()) return PoolStatus.CRITICAL;
    return available == enabledCount() ? PoolStatus.HEALTHY : PoolStatus.DEGRADED;
  }

  private long availableCount() {
    return origins.stream().filter(OriginState::available).count();
  }

  private long enabledCount() {
    return origins.stream().filter(o -> o.origin().enabled()).count();
  }

  /** Origin states by name, for keeping them across a reload. */
  Map<String, OriginState> byName() {
    Map<String, OriginState> m = new HashMap<>();
    for (OriginState o : origins) m.put(o.origin().name(), o);
    return m;
  }
}
