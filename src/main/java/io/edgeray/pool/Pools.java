package io.edgeray.pool;

import io.edgeray.config.OverloadLimit;
import io.edgeray.config.LoadBalancer;
import io.edgeray.config.PoolOrigin;
import io.edgeray.config.PoolSpec;
import io.edgeray.upstream.EgressSources;
import io.edgeray.upstream.OriginConnector;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every origin pool of this edge: built from the config, rebuilt on reload (an origin whose name,
 * address, port and limits are unchanged keeps its health, ejection and connection count), the
 * monitors that check them, and the listeners told about each state change.
 */
public final class Pools implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Pools.class);

  private final EventLoopGroup group;
  private final HealthProbe probe;
  private final LongSupplier nanos;
  private final WebhookNotifier webhook;
  private final List<Consumer<StateChange>> listeners = new CopyOnWriteArrayList<>();
  /** Changes counted here, not by a listener: monitors start with the pools, before anyone can listen. */
  private final Map<List<String>, LongAdder> changeCounts = new ConcurrentHashMap<>();
  private final List<Runnable> ownViewListeners = new CopyOnWriteArrayList<>();
  private volatile Map<String, Pool> pools = Map.of();
  private volatile PeerHealth peers = PeerHealth.NONE;
  private List<HealthMonitor> monitors = List.of(); // guarded by this

  public Pools(EventLoopGroup group, OriginConnector connector, LongSupplier nanos, Duration webhookBackoff) {
    this.group = group;
    this.probe = new HealthProbe(group, connector);
    this.nanos = nanos;
    this.webhook = new WebhookNotifier(webhookBackoff);
  }

  /** State changes since start, by pool, origin (empty for the pool itself) and new state. */
  public Map<List<String>, Long> changeCounts() {
    Map<List<String>, Long> out = new HashMap<>();
    changeCounts.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /** Also told about every origin and pool state change (tests). */
  public void onChange(Consumer<StateChange> listener) {
    listeners.add(listener);
  }

  /** Also told when this node's own view of an origin changes (its verdict, or how its last check ended): the fleet publishes it. */
  public void onOwnView(Runnable listener) {
    ownViewListeners.add(listener);
  }

  /** The fleet's views of the origins; origins of pools with a health_quorum follow them from now on. */
  public void usePeers(PeerHealth health) {
    peers = health;
    peersChanged();
  }

  public PeerHealth peers() {
    return peers;
  }

  /** The other nodes' views changed: an origin under a health_quorum may now be in or out for everyone. */
  public void peersChanged() {
    for (Pool p : pools.values()) {
      for (OriginState o : p.origins()) reconsider(p, o);
    }
  }

  /** Swaps in the configured pools and restarts their monitors, keeping the state of unchanged origins. */
  public synchronized void update(List<PoolSpec> specs, EgressSources egress) {
    Map<String, Pool> old = pools;
    Map<String, Pool> next = new LinkedHashMap<>();
    for (PoolSpec spec : specs) {
      Map<String, OriginState> kept = old.containsKey(spec.name()) ? old.get(spec.name()).byName() : Map.of();
      List<OriginState> states = new ArrayList<>();
      for (PoolOrigin o : spec.origins()) {
        OriginState before = kept.get(o.name());
        OverloadLimit limit = o.limitWithin(spec.limit());
        // a changed limit starts a new count: the old one may not hold with it
        boolean keep = before != null && before.origin().equals(o) && before.connections().limit().equals(limit);
        if (keep && spec.monitor() == null) before.unmonitored();
        states.add(keep ? before : new OriginState(spec.name(), o, limit, nanos));
      }
      next.put(spec.name(), new Pool(spec, states, this::changed));
    }
    pools = Collections.unmodifiableMap(next); // in config order, for the admin API
    monitors.forEach(HealthMonitor::stop);
    List<HealthMonitor> started = new ArrayList<>();
    for (Pool p : next.values()) {
      if (p.spec().monitor() != null) started.add(new HealthMonitor(this, p, probe, egress, group));
    }
    monitors = started;
    peersChanged(); // a pool that gained (or lost) a health_quorum follows the fleet (or itself) from now on
  }

  public Pool pool(String name) {
    return pools.get(name);
  }

  public List<Pool> all() {
    return List.copyOf(pools.values());
  }

  /**
   * A picker for one request to a load-balanced host.
   *
   * @param defaultPort the port of origins configured without one (an implicit pool of records)
   */
  public OriginPicker picker(LoadBalancer lb, String clientIp, String affinityCookie, int defaultPort) {
    Map<String, Pool> now = pools;
    List<Pool> order = lb.pools().stream().map(now::get).filter(Objects::nonNull).toList();
    Pool fallback = lb.fallback() != null ? now.get(lb.fallback()) : null;
    // a ray routed by the config just replaced may name a pool that is gone: it gets what is left
    if (fallback == null && !order.isEmpty()) fallback = order.get(order.size() - 1);
    return new OriginPicker(this, order, fallback, clientIp, affinityCookie, defaultPort);
  }

  void connectFailed(OriginState o) {
    Pool p = pools.get(o.pool());
    if (p == null || !p.origins().contains(o)) return; // replaced by a reload: its failures no longer count
    OriginStatus before;
    long ejectedFor;
    synchronized (p) { // the ejection cap is a share of the pool: two loops must not both take the last place
      before = o.status();
      ejectedFor = o.connectFailed(p.spec().passive(), p.mayEjectAnother());
    }
    if (ejectedFor == 0) return;
    if (o.status() != before) {
      p.originChanged(o, before.word(), "ejected for " + TimeUnit.NANOSECONDS.toMillis(ejectedFor) + " ms after "
          + p.spec().passive().failures() + " connect failures in a row");
    }
    group.next().schedule(() -> readmit(o), ejectedFor, TimeUnit.NANOSECONDS);
  }

  private void readmit(OriginState o) {
    OriginStatus before = o.status();
    if (!o.readmitIfDue()) return;
    Pool p = pools.get(o.pool());
    if (p != null && p.origins().contains(o) && o.status() != before) p.originChanged(o, before.word(), "ejection time over");
  }

  void checked(OriginState o, CheckResult result) {
    Pool p = pools.get(o.pool());
    if (p == null || !p.origins().contains(o) || p.spec().monitor() == null) return;
    CheckResult previous = o.lastCheck();
    OriginStatus before;
    boolean ownChanged;
    Quorum q;
    // one origin's verdict at a time (a check, and the fleet's views arriving); the pool is told after, outside the origin's lock
    synchronized (o) {
      before = o.status();
      ownChanged = o.checked(result, p.spec().monitor());
      q = quorum(p, o);
      if (q != null) o.fleetVerdict(q.up());
    }
    String checkWords = (result.passed() ? "health check passed: " : "health check failed: ") + result.detail();
    if (o.status() != before) {
      p.originChanged(o, before.word(), q == null ? checkWords : checkWords + "; " + q, result.failure());
    } else if (ownChanged && q != null) {
      LOG.info("origin {}: this node's {}, but {}: it stays {}", o.id(), checkWords, q, o.status().word());
    }
    if (ownChanged || previous == null || previous.passed() != result.passed() || previous.failure() != result.failure()) {
      for (Runnable l : ownViewListeners) l.run();
    }
  }

  /** Applies the fleet's verdict to one origin. */
  private void reconsider(Pool p, OriginState o) {
    OriginStatus before;
    Quorum q;
    synchronized (o) {
      before = o.status();
      q = quorum(p, o);
      o.fleetVerdict(q == null ? null : q.up());
    }
    if (o.status() != before) p.originChanged(o, before.word(), q == null ? "this node's own checks decide again" : q.toString());
  }

  /** How the fleet sees an origin under a health_quorum; null when this node's own checks decide. */
  record Quorum(int unhealthy, int reporting, int quorum) {
    /** A fleet shrunk below the quorum still takes a dead origin out: then every node left must see it down. */
    boolean up() {
      return unhealthy < Math.min(quorum, reporting);
    }

    @Override
    public String toString() {
      return unhealthy + " of " + reporting + " nodes see it unhealthy (health_quorum " + quorum + ")";
    }
  }

  private Quorum quorum(Pool p, OriginState o) {
    PeerHealth fleet = peers;
    if (p.spec().healthQuorum() == 0 || p.spec().monitor() == null || fleet.node() == null || !o.origin().enabled()) return null;
    if (!fleet.known()) return new Quorum(0, 1, p.spec().healthQuorum()); // held in until the others' views are read
    int reporting = 1;
    int unhealthy = o.monitorUp() ? 0 : 1;
    for (OriginView v : fleet.others(p.name(), o.origin().name())) {
      if (!v.reporting()) continue;
      reporting++;
      if (v.unhealthy()) unhealthy++;
    }
    return new Quorum(unhealthy, reporting, p.spec().healthQuorum());
  }

  private void changed(StateChange c) {
    String what = c.ofPool() ? "pool " + c.pool() : "origin " + c.pool() + "." + c.origin();
    LOG.info("{} {} -> {}: {}", what, c.oldState(), c.newState(), c.reason());
    changeCounts.computeIfAbsent(List.of(c.pool(), c.origin() == null ? "" : c.origin(), c.newState()),
        k -> new LongAdder()).increment();
    Pool p = pools.get(c.pool());
    if (p != null && p.spec().webhook() != null) webhook.send(p.spec().webhook(), c);
    for (Consumer<StateChange> l : listeners) l.accept(c);
  }

  @Override
  public synchronized void close() {
    monitors.forEach(HealthMonitor::stop);
    monitors = List.of();
  }
}
