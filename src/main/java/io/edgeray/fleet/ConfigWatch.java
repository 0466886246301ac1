package io.edgeray.fleet;

import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import io.edgeray.config.ConfigException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a node on the fleet's config: reads the config key, then watches it from the next
 * revision, and hands every new value to the {@link ConfigApplier} (the reload path). While etcd is
 * away the node serves what it has and tries again every {@link #RETRY_MILLIS}; back, it reads
 * the key first, so a change made meanwhile is applied before the watch resumes.
 *
 * <p>Runs on the fleet's one thread: the watch's callbacks only hand over to it, so applying,
 * retrying and the status never race.
 */
final class ConfigWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigWatch.class);
  static final long RETRY_MILLIS = 500;

  /** What {@code /healthz} and the node list say about this node's config. */
  record Status(boolean connected, Instant since, long appliedRevision, long refusedRevision, String problem) {}

  private final Etcd etcd;
  private final String key;
  private final ConfigApplier applier;
  private final LastGoodConfig lastGood;
  private final FleetMetrics metrics;
  private final ScheduledExecutorService thread;
  private final ScheduledExecutorService timer;
  private final Clock clock;
  private final CountDownLatch firstSync = new CountDownLatch(1);
  private final Runnable onApplied;
  private final FleetPurges purges;

  private volatile Status status;
  private ConfigException refusal; // why refusedRevision was refused; guarded by this, as the waiters are
  private final List<Waiter> waiters = new ArrayList<>();
  private StreamObserver<WatchRequest> stream;
  private long generation; // a stream's callbacks are ignored once a newer stream replaced it
  private boolean closed;

  ConfigWatch(Etcd etcd, String key, ConfigApplier applier, LastGoodConfig lastGood, long startRevision, FleetMetrics metrics,
      ScheduledExecutorService thread, ScheduledExecutorService timer, Clock clock, Runnable onApplied, FleetPurges purges) {
    this.etcd = etcd;
    this.key = key;
    this.applier = applier;
    this.lastGood = lastGood;
    this.metrics = metrics;
    this.thread = thread;
    this.timer = timer;
    this.clock = clock;
    this.onApplied = onApplied;
    this.purges = purges;
    this.status = new Status(false, clock.instant(), startRevision, 0, "etcd not reached yet");
    metrics.revision(startRevision);
    metrics.etcdUp(false);
  }

  void start() {
    thread.execute(this::connect);
  }

  /** Waits for the first read of etcd (at start, so a fresh node begins with the fleet's zones); false on timeout. */
  boolean awaitFirstSync(long millis) throws InterruptedException {
    return firstSync.await(millis, TimeUnit.MILLISECONDS);
  }

  Status status() {
    return status;
  }

  /** A change made through this node's API, waiting to hear whether this node applied its revision. */
  private record Waiter(long revision, CompletableFuture<Fleet.ChangeOutcome> outcome) {}

  /**
   * Completes once this node has applied {@code revision} or a later one, or refused it, or when
   * {@code within} has passed (then {@link Fleet.ChangeOutcome.Here#NOT_YET}). For a change made
   * through this node's API: its answer then tells the truth. Never blocks. The time is kept on
   * {@code timer}, not on the fleet's thread, which may be busy applying a big config or waiting for etcd.
   */
  CompletableFuture<Fleet.ChangeOutcome> whenApplied(long revision, Duration within) {
    CompletableFuture<Fleet.ChangeOutcome> outcome = new CompletableFuture<>();
    Waiter w = new Waiter(revision, outcome);
    synchronized (this) {
      if (!settle(w)) waiters.add(w);
    }
    if (outcome.isDone()) return outcome;
    Runnable late = () -> {
      synchronized (this) {
        waiters.remove(w);
      }
      outcome.complete(new Fleet.ChangeOutcome(revision, Fleet.ChangeOutcome.Here.NOT_YET, null, null));
    };
    try {
      java.util.concurrent.ScheduledFuture<?> timeout = timer.schedule(late, within.toMillis(), TimeUnit.MILLISECONDS);
      outcome.whenComplete((o, e) -> timeout.cancel(false));
    } catch (java.util.concurrent.RejectedExecutionException leaving) {
      late.run(); // the node is leaving the fleet: it will not apply anything now
    }
    return outcome;
  }

  /** Completes a waiter whose revision this node has applied or refused; false while it has done neither. */
  private boolean settle(Waiter w) {
    Status s = status;
    if (s.appliedRevision() >= w.revision()) {
      w.outcome().complete(new Fleet.ChangeOutcome(w.revision(), Fleet.ChangeOutcome.Here.APPLIED, null, null));
    } else if (s.refusedRevision() >= w.revision()) {
      String key = refusal == null || refusal.key().isEmpty() ? null : refusal.key();
      w.outcome().complete(new Fleet.ChangeOutcome(w.revision(), Fleet.ChangeOutcome.Here.REFUSED,
          refusal == null ? s.problem() : refusal.getMessage(), key));
    } else {
      return false;
    }
    return true;
  }

  private synchronized void changed(Status next, ConfigException refused) {
    status = next;
    if (refused != null) refusal = refused;
    waiters.removeIf(this::settle);
  }

  String sourceName(long revision) {
    return "etcd:" + key + "@" + revision;
  }

  private void connect() {
    if (closed) return;
    try {
      // the watch goes on from the revision this read saw, not from the store's revision asked
      // for afterwards: a change made between the two would be neither read nor watched
      Etcd.Read read = etcd.read(key);
      Etcd.Entry e = read.entry();
      if (e.value() != null && e.modRevision() != status.appliedRevision() && e.modRevision() != status.refusedRevision()) {
        apply(new SharedConfig(e.value(), e.modRevision()));
      }
      purges.catchUp(); // anything newer than the read comes through the watch too: a purge is applied once
      watchFrom(read.revision() + 1);
    } catch (Etcd.Unreachable problem) {
      lost(problem.getMessage());
    }
  }

  private void watchFrom(long revision) {
    long mine = ++generation;
    stream = etcd.watch(thread, mine, () -> generation, this::received, this::lost);
    stream.onNext(WatchRequest.newBuilder().setCreateRequest(
        WatchCreateRequest.newBuilder().setKey(Etcd.bytes(key)).setStartRevision(revision)).build());
    stream.onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
        .setKey(Etcd.bytes(purges.prefix())).setRangeEnd(Etcd.rangeEnd(purges.prefix())).setStartRevision(revision)).build());
  }


  private void received(WatchResponse r) {
    if (r.getCreated()) { // once for the config's watch, once for the purges'
      boolean wasDown = !status.connected();
      // watching again: etcd's absence is over even when nothing changed meanwhile (no apply clears it then)
      String problem = status.problem() != null && status.problem().startsWith("etcd unreachable") ? null : status.problem();
      status = new Status(true, clock.instant(), status.appliedRevision(), status.refusedRevision(), problem);
      metrics.etcdUp(true);
      if (wasDown) LOG.info("fleet: watching {} on etcd {} (config revision {})", key, etcd.endpoint(), status.appliedRevision());
      firstSync.countDown();
    }
    if (r.getCanceled()) { // compacted past our revision, or etcd cancelled it: read again
      lost("etcd cancelled the watch: " + r.getCancelReason());
      return;
    }
    for (Event ev : r.getEventsList()) {
      String evKey = ev.getKv().getKey().toStringUtf8();
      if (!evKey.equals(key)) { // the purges' prefix, on the same stream
        if (ev.getType() == Event.EventType.PUT) {
          purges.received(new Etcd.Entry(evKey, ev.getKv().getValue().toStringUtf8(), ev.getKv().getModRevision()));
        }
        continue;
      }
      if (ev.getType() == Event.EventType.PUT) {
        apply(new SharedConfig(ev.getKv().getValue().toStringUtf8(), ev.getKv().getModRevision()));
      } else if (ev.getType() == Event.EventType.DELETE) {
        LOG.warn("fleet: {} was deleted from etcd; the node keeps serving revision {}", key, status.appliedRevision());
      }
    }
  }

  private void apply(SharedConfig config) {
    String source = sourceName(config.revision());
    try {
      applier.apply(config, source);
    } catch (ConfigException error) {
      Status s = status;
      metrics.refused();
      LOG.error("fleet: refused the config at {}, keeping revision {}: {}", source, s.appliedRevision(), error.getMessage());
      changed(new Status(s.connected(), s.since(), s.appliedRevision(), config.revision(),
          "config revision " + config.revision() + " refused: " + error.getMessage()), error);
      return;
    }
    Status s = status;
    changed(new Status(s.connected(), s.since(), config.revision(), s.refusedRevision(), null), null);
    metrics.revision(config.revision());
    LOG.info("fleet: applied the config at {}", source);
    try {
      lastGood.write(config, source);
    } catch (IOException e) {
      LOG.warn("fleet: could not keep a copy of the config in {} (a restart without etcd would serve an older one): {}",
          lastGood.file(), e.toString());
    }
    onApplied.run();
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
    Status s = status;
    if (s.connected() || s.problem() == null || !s.problem().startsWith("etcd unreachable")) {
      LOG.warn("fleet: etcd unreachable ({}); serving config revision {} until it is back", problem, s.appliedRevision());
    }
    status = new Status(false, s.connected() ? clock.instant() : s.since(), s.appliedRevision(), s.refusedRevision(),
        "etcd unreachable: " + problem);
    metrics.etcdUp(false);
    firstSync.countDown(); // starting without etcd: serve the last good config now rather than wait
    etcd.nextEndpoint();
    thread.schedule(this::connect, RETRY_MILLIS, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    thread.execute(() -> {
      closed = true;
      generation++;
      if (stream != null) {
        try {
          stream.onCompleted();
        } catch (RuntimeException ignored) {
          // already broken
        }
      }
    });
  }
}
