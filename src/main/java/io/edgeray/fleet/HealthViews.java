package io.edgeray.fleet;

import io.edgeray.failure.OriginFailure;
import io.edgeray.pool.OriginView;
import io.edgeray.pool.PeerHealth;
import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The other nodes' views of the pool origins: {@code PREFIX/health/} read once, then watched, on
 * the fleet's thread; every change goes to {@code changed} (the pools, whose health_quorum
 * follows them). While etcd is away the last views are kept for one lease, as long as etcd would
 * have kept them; after that this node goes by its own checks until etcd is back.
 */
final class HealthViews implements PeerHealth {
  private static final Logger LOG = LoggerFactory.getLogger(HealthViews.class);

  private final Etcd etcd;
  private final String prefix;
  private final String node;
  private final String location;
  private final Duration lease;
  private final ScheduledExecutorService thread;
  private final Runnable changed;
  /** By node, then by pool and origin; replaced whole, so readers on other threads see one state. */
  private volatile Map<String, Map<String, OriginView>> others = Map.of();
  private StreamObserver<WatchRequest> stream;
  private long generation;
  private boolean connected;
  private volatile boolean known;
  private long lostAt;
  private boolean closed;

  HealthViews(Etcd etcd, String prefix, String node, String location, Duration lease, ScheduledExecutorService thread,
      Runnable changed) {
    this.etcd = etcd;
    this.prefix = prefix + "/health/";
    this.node = node;
    this.location = location;
    this.lease = lease;
    this.thread = thread;
    this.changed = changed;
  }

  void start() {
    post(this::connect);
    thread.schedule(() -> {
      if (known) return;
      known = true; // etcd never answered: this node goes by its own checks
      changed.run();
    }, lease.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public boolean known() {
    return known;
  }

  @Override
  public String node() {
    return node;
  }

  @Override
  public String location() {
    return location;
  }

  @Override
  public List<OriginView> others(String pool, String origin) {
    List<OriginView> views = new ArrayList<>();
    for (Map<String, OriginView> n : others.values()) {
      OriginView v = n.get(pool + "\n" + origin);
      if (v != null) views.add(v);
    }
    return views;
  }

  private void connect() {
    if (closed) return;
    try {
      Etcd.Snapshot s = etcd.snapshot(prefix);
      Map<String, Map<String, OriginView>> next = new TreeMap<>();
      for (Etcd.Entry e : s.entries()) put(next, e.key(), e.value());
      others = next;
      known = true;
      changed.run();
      watchFrom(s.revision() + 1);
    } catch (Etcd.Unreachable e) {
      lost(e.getMessage());
    }
  }

  private void watchFrom(long revision) {
    long mine = ++generation;
    stream = etcd.watch(thread, mine, () -> generation, this::received, this::lost);
    stream.onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
        .setKey(Etcd.bytes(prefix)).setRangeEnd(Etcd.rangeEnd(prefix)).setStartRevision(revision)).build());
  }

  private void received(WatchResponse r) {
    if (r.getCreated()) connected = true;
    if (r.getCanceled()) {
      lost("etcd cancelled the watch: " + r.getCancelReason());
      return;
    }
    if (r.getEventsCount() == 0) return;
    Map<String, Map<String, OriginView>> next = new TreeMap<>(others);
    for (Event ev : r.getEventsList()) {
      String key = ev.getKv().getKey().toStringUtf8();
      if (ev.getType() == Event.EventType.DELETE) {
        next.remove(key.substring(prefix.length()));
      } else {
        put(next, key, ev.getKv().getValue().toStringUtf8());
      }
    }
    others = next;
    changed.run();
  }

  /** Adds one node's record, unless it is this node's own or not a record at all. */
  private void put(Map<String, Map<String, OriginView>> into, String key, String json) {
    String name = key.substring(prefix.length());
    if (name.equals(node)) return;
    NodeHealth h;
    try {
      h = NodeRegistration.JSON.readValue(json, NodeHealth.class);
    } catch (IOException notOurs) {
      LOG.debug("fleet: {} is not a node's health record", key);
      return;
    }
    Map<String, OriginView> views = new HashMap<>();
    Instant at = instant(h.at());
    for (NodeHealth.Seen s : h.origins() == null ? List.<NodeHealth.Seen>of() : h.origins()) {
      views.put(s.pool() + "\n" + s.origin(), new OriginView(name, h.location(), s.state(), instant(s.lastCheck()), s.passed(),
          failure(s.failure()), s.detail(), at));
    }
    into.put(name, Map.copyOf(views));
  }

  private void lost(String problem) {
    if (closed) return;
    generation++;
    if (stream != null) {
      try {
        stream.onCompleted();
      } catch (RuntimeException ignored) {
        // already broken
      }
      stream = null;
    }
    if (connected) {
      connected = false;
      LOG.warn("fleet: lost the other nodes' views of the origins ({}); keeping them for {} at most", problem, lease);
      lostAt = System.nanoTime();
      thread.schedule(() -> {
        if (!connected && System.nanoTime() - lostAt >= lease.toNanos() && !others.isEmpty()) {
          others = Map.of();
          LOG.warn("fleet: etcd still away after {}: this node goes by its own health checks", lease);
          changed.run();
        }
      }, lease.toMillis(), TimeUnit.MILLISECONDS);
    }
    thread.schedule(this::connect, ConfigWatch.RETRY_MILLIS, TimeUnit.MILLISECONDS);
  }

  private void post(Runnable r) {
    try {
      thread.execute(r);
    } catch (RejectedExecutionException stopping) {
      // the node is leaving the fleet
    }
  }

  /** On the fleet's thread. */
  void close() {
    closed = true;
    generation++;
    if (stream != null) {
      try {
        stream.onCompleted();
      } catch (RuntimeException ignored) {
        // already broken
      }
    }
  }

  private static Instant instant(String iso) {
    try {
      return iso == null ? null : Instant.parse(iso);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static OriginFailure failure(String name) {
    try {
      return name == null ? null : OriginFailure.valueOf(name);
    } catch (IllegalArgumentException e) {
      return null; // a newer node's class this one does not know
    }
  }
}
