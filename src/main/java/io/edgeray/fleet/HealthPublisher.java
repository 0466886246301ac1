package io.edgeray.fleet;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.edgeray.pool.OriginState;
import io.edgeray.pool.OriginView;
import io.edgeray.pool.Pool;
import io.edgeray.pool.Pools;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes this node's view of every monitored pool origin under {@code PREFIX/health/NODE}, held
 * by the node's registration lease, so a node that dies takes its view with it. Written when the
 * view changes (a verdict, or how the last check ended), at most once per {@link #MIN_MILLIS}
 * however much an origin flaps, and at each registration refresh (a new lease, a fresh {@code at}).
 * Everything runs on the fleet's thread; {@link #changed()} may be called from any.
 */
final class HealthPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(HealthPublisher.class);
  static final long MIN_MILLIS = 1000;

  private final Etcd etcd;
  private final String key;
  private final String node;
  private final String location;
  private final Pools pools;
  private final LongSupplier lease;
  private final ScheduledExecutorService thread;
  private final Clock clock;
  private long lastPutNanos;
  private boolean pending;
  private boolean failing;

  HealthPublisher(Etcd etcd, String prefix, String node, String location, Pools pools, LongSupplier lease,
      ScheduledExecutorService thread, Clock clock) {
    this.etcd = etcd;
    this.key = prefix + "/health/" + node;
    this.node = node;
    this.location = location;
    this.pools = pools;
    this.lease = lease;
    this.thread = thread;
    this.clock = clock;
    this.lastPutNanos = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(MIN_MILLIS);
  }

  /** The view changed: published now, or when the rate limit allows. */
  void changed() {
    try {
      thread.execute(this::soon);
    } catch (RejectedExecutionException stopping) {
      // the node is leaving the fleet
    }
  }

  private void soon() {
    if (pending) return;
    long wait = MIN_MILLIS - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastPutNanos);
    if (wait <= 0) {
      publish();
      return;
    }
    pending = true;
    thread.schedule(() -> {
      pending = false;
      publish();
    }, wait, TimeUnit.MILLISECONDS);
  }

  /** On the fleet's thread, after each registration refresh. */
  void publish() {
    long l = lease.getAsLong();
    if (l == 0) return; // not registered yet (etcd away): the next refresh publishes
    try {
      etcd.put(key, NodeRegistration.JSON.writeValueAsString(view()), l);
      lastPutNanos = System.nanoTime();
      failing = false;
    } catch (Etcd.Unreachable e) {
      if (!failing) LOG.warn("fleet: cannot publish this node's view of the origins to {}: {}", key, e.getMessage());
      failing = true;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  NodeHealth view() {
    List<NodeHealth.Seen> seen = new ArrayList<>();
    for (Pool p : pools.all()) {
      if (p.spec().monitor() == null) continue; // without checks a node has no view of its own
      for (OriginState o : p.origins()) {
        OriginView v = OriginView.own(node, location, o, clock.instant());
        seen.add(new NodeHealth.Seen(p.name(), o.origin().name(), v.state(), v.lastCheck() == null ? null : v.lastCheck().toString(),
            v.passed(), v.failure() == null ? null : v.failure().name(), v.detail()));
      }
    }
    return new NodeHealth(node, location, clock.instant().toString(), List.copyOf(seen));
  }
}
