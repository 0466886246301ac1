package io.edgeray.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A purge made on one node, applied on every node: the node that takes it purges its own cache,
 * writes it as {@code PREFIX/purges/ID} (zone, purge body, its name) under a short lease, and
 * watches for the other registered nodes' acknowledgements {@code PREFIX/purges/ID/acks/NODE},
 * which each writes once its own cache no longer has the objects. The caller learns which nodes
 * confirmed in time and which did not (stopped, cut off from etcd, slow), rather than a promise
 * nobody checked.
 *
 * <p>Every node watches {@code PREFIX/purges/} on the config watch's stream; back from an outage
 * it lists the prefix and applies the purges it has not acknowledged yet, so a purge made while it
 * was away still reaches it while the lease lasts. Another node's purge runs on a thread of its
 * own, never on the fleet's: a big one does not hold back the config and health watches.
 */
final class FleetPurges implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FleetPurges.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** How long a purge and its acknowledgements stay on etcd: long enough for a node that was briefly away. */
  static final Duration KEPT = Duration.ofSeconds(60);
  private static final int REMEMBERED = 1000;
  /** Other nodes' purges waiting for the purge thread; one more is refused (and applied on the next catch-up). */
  private static final int QUEUED = 256;

  /** Which registered nodes acknowledged the purge in time (this node among them) and which did not. */
  record Outcome(List<String> confirmed, List<String> unconfirmed) {}

  private final Etcd etcd;
  private final String prefix;
  private final String nodes;
  private final String node;
  private final PurgeApplier applier;
  private final ScheduledExecutorService fleetThread;
  private final ScheduledExecutorService timer;
  /** One thread, bounded queue: other nodes' purges in the order they came, off the fleet's thread. */
  private final ThreadPoolExecutor purging;
  /** Ids applied or being applied here, newest last: a purge seen again (watch and catch-up both) is applied once. */
  private final Set<String> applied = new LinkedHashSet<>();

  FleetPurges(Etcd etcd, String fleetPrefix, String node, PurgeApplier applier, ScheduledExecutorService fleetThread,
      ScheduledExecutorService timer) {
    this.etcd = etcd;
    this.prefix = fleetPrefix + "/purges/";
    this.nodes = fleetPrefix + "/nodes/";
    this.node = node;
    this.applier = applier;
    this.fleetThread = fleetThread;
    this.timer = timer;
    this.purging = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(QUEUED), r -> {
      Thread t = new Thread(r, "edgeray-fleet-purges");
      t.setDaemon(true);
      return t;
    });
  }

  String prefix() {
    return prefix;
  }

  /**
   * Tells the fleet about a purge this node has already applied. The writes block for etcd's
   * answers (call it off any event loop); the acknowledgements are then watched, not polled, and
   * what this returns completes when every registered node has acknowledged, or after {@code within}.
   */
  CompletableFuture<Outcome> publish(String zone, String purgeJson, Duration within) throws Etcd.Unreachable {
    String id = Long.toString(System.currentTimeMillis(), 36) + "-" + UUID.randomUUID().toString().substring(0, 8);
    long lease = etcd.grantLease(KEPT);
    ObjectNode value = JSON.createObjectNode().put("zone", zone).put("purge", purgeJson).put("from", node).put("lease", lease);
    synchronized (applied) {
      remember(id);
    }
    etcd.put(prefix + id, value.toString(), lease);
    etcd.put(ack(id, node), "", lease);
    Set<String> registered = new LinkedHashSet<>();
    registered.add(node);
    for (Etcd.Entry e : etcd.list(nodes)) registered.add(e.key().substring(nodes.length()));
    String under = prefix + id + "/acks/";
    Etcd.Snapshot acks = etcd.snapshot(under); // the watch goes on from this read: no acknowledgement falls between
    Acks waiting = new Acks(id, zone, under, registered, within);
    acks.entries().forEach(e -> waiting.acked.add(e.key().substring(under.length())));
    if (waiting.acked.containsAll(registered)) return CompletableFuture.completedFuture(waiting.outcome());
    try {
      waiting.watchFrom(acks.revision() + 1);
    } catch (RejectedExecutionException leaving) {
      waiting.finish(); // the node is leaving the fleet: nothing more will be heard
    }
    return waiting.done;
  }

  /**
   * One purge's acknowledgements as they come (on the fleet's thread): a watch on its acks, ended
   * by the last one or by the time, which the timer keeps even while the fleet's thread is busy.
   */
  private final class Acks {
    final String id;
    final String zone;
    final String under;
    final Set<String> registered;
    final Duration within;
    final Set<String> acked = new LinkedHashSet<>();
    final CompletableFuture<Outcome> done = new CompletableFuture<>();
    StreamObserver<WatchRequest> stream;

    Acks(String id, String zone, String under, Set<String> registered, Duration within) {
      this.id = id;
      this.zone = zone;
      this.under = under;
      this.registered = registered;
      this.within = within;
    }

    synchronized void watchFrom(long revision) {
      stream = etcd.watch(fleetThread, 1, () -> done.isDone() ? 0 : 1, this::received, lost -> finish());
      stream.onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
          .setKey(Etcd.bytes(under)).setRangeEnd(Etcd.rangeEnd(under)).setStartRevision(revision)).build());
      java.util.concurrent.ScheduledFuture<?> timeout = timer.schedule(this::finish, within.toMillis(), TimeUnit.MILLISECONDS);
      done.whenComplete((o, e) -> timeout.cancel(false));
    }

    private synchronized void received(WatchResponse r) {
      for (Event ev : r.getEventsList()) {
        if (ev.getType() == Event.EventType.PUT) acked.add(ev.getKv().getKey().toStringUtf8().substring(under.length()));
      }
      if (r.getCanceled() || acked.containsAll(registered)) finish();
    }

    synchronized void finish() {
      if (done.isDone()) return;
      if (stream != null) {
        try {
          stream.onCompleted();
        } catch (RuntimeException ignored) {
          // already broken
        }
      }
      Outcome o = outcome();
      if (!o.unconfirmed().isEmpty()) {
        LOG.warn("purge {} of {}: not confirmed within {} ms by {}", id, zone, within.toMillis(), o.unconfirmed());
      }
      done.complete(o);
    }

    synchronized Outcome outcome() {
      List<String> confirmed = new ArrayList<>();
      List<String> unconfirmed = new ArrayList<>();
      for (String n : registered) (acked.contains(n) ? confirmed : unconfirmed).add(n);
      return new Outcome(confirmed, unconfirmed);
    }
  }

  private String ack(String id, String who) {
    return prefix + id + "/acks/" + who;
  }

  /**
   * A key under the prefix, from the watch: a purge to apply here, or an acknowledgement to
   * ignore. On the fleet thread, which only hands the purge to the purge thread.
   */
  void received(Etcd.Entry e) {
    String id = e.key().substring(prefix.length());
    if (id.contains("/") || e.value() == null || e.value().isEmpty()) return;
    JsonNode v;
    try {
      v = JSON.readTree(e.value());
    } catch (IOException notOurs) {
      return;
    }
    if (node.equals(v.path("from").asText())) return;
    synchronized (applied) {
      if (applied.contains(id)) return;
      remember(id);
    }
    try {
      purging.execute(() -> apply(id, v));
    } catch (RejectedExecutionException full) {
      forget(id);
      LOG.warn("purge {} from {} of {} not applied here: {} purges are already waiting (the next catch-up applies it)", id,
          v.path("from").asText(), v.path("zone").asText(), QUEUED);
    }
  }

  /** On the purge thread: the purge, then the acknowledgement, so the node that took it hears only of a purge done. */
  private void apply(String id, JsonNode v) {
    try {
      applier.apply(v.path("zone").asText(), v.path("purge").asText());
    } catch (Exception problem) {
      forget(id);
      LOG.warn("purge {} from {} of {} not applied here: {}", id, v.path("from").asText(), v.path("zone").asText(), problem.toString());
      return;
    }
    try {
      etcd.put(ack(id, node), "", v.path("lease").asLong());
    } catch (Etcd.Unreachable ex) {
      LOG.warn("purge {} applied here, but the acknowledgement did not reach etcd: {}", id, ex.getMessage());
    }
  }

  /** After (re)connecting: the purges still on etcd that this node has not acknowledged. On the fleet thread. */
  void catchUp() throws Etcd.Unreachable {
    Map<String, Etcd.Entry> purges = new LinkedHashMap<>();
    Set<String> mine = new LinkedHashSet<>();
    String ackSuffix = "/acks/" + node;
    for (Etcd.Entry e : etcd.list(prefix)) {
      String rest = e.key().substring(prefix.length());
      if (!rest.contains("/")) purges.put(rest, e);
      else if (rest.endsWith(ackSuffix)) mine.add(rest.substring(0, rest.length() - ackSuffix.length()));
    }
    for (Map.Entry<String, Etcd.Entry> p : purges.entrySet()) {
      if (!mine.contains(p.getKey())) received(p.getValue());
    }
  }

  private void remember(String id) {
    applied.add(id);
    if (applied.size() > REMEMBERED) applied.remove(applied.iterator().next());
  }

  private void forget(String id) {
    synchronized (applied) {
      applied.remove(id);
    }
  }

  /** Stops the purge thread; a purge it is running finishes first, for up to a second. */
  @Override
  public void close() {
    purging.shutdown();
    try {
      purging.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    purging.shutdownNow();
  }
}
