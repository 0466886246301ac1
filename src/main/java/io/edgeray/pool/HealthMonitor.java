package io.edgeray.pool;

import io.edgeray.config.MonitorSpec;
import io.edgeray.upstream.EgressSources;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks every enabled origin of one pool each interval. A failed check is tried again right away
 * up to {@code retries} times before the round counts as failed; the origin's consecutive up/down
 * thresholds then decide whether its verdict changes.
 */
final class HealthMonitor {
  private static final Logger LOG = LoggerFactory.getLogger(HealthMonitor.class);
  private final Pools pools;
  private final String pool;
  private final MonitorSpec spec;
  private final HealthProbe probe;
  private final EgressSources egress;
  private final ScheduledFuture<?> rounds;
  private final Set<OriginState> checking = ConcurrentHashMap.newKeySet();

  HealthMonitor(Pools pools, Pool pool, HealthProbe probe, EgressSources egress, EventLoopGroup group) {
    this.pools = pools;
    this.pool = pool.name();
    this.spec = pool.spec().monitor();
    this.probe = probe;
    this.egress = egress;
    long every = spec.interval().toMillis();
    this.rounds = group.next().scheduleAtFixedRate(this::round, 0, every, TimeUnit.MILLISECONDS);
  }

  private void round() {
    // a throw would end scheduleAtFixedRate for good, silently: the monitor must outlive a bad round
    try {
      Pool current = pools.pool(pool);
      if (current == null) return;
      for (OriginState o : current.origins()) {
        // a slow origin whose last check (with its retries) is still running is not sent another
        if (!o.origin().enabled() || !checking.add(o)) continue;
        CompletableFuture<CheckResult> check;
        try {
          check = checkWithRetries(o, spec.retries());
        } catch (RuntimeException e) {
          check = CompletableFuture.failedFuture(e);
        }
        check.whenComplete((result, error) -> {
          checking.remove(o);
          if (result != null) {
            pools.checked(o, result);
          } else {
            LOG.warn("health check of {} in pool {} could not run: {}", o.origin().name(), pool, String.valueOf(error));
          }
        });
      }
    } catch (RuntimeException e) {
      LOG.error("health-check round of pool {} failed", pool, e);
    }
  }

  private CompletableFuture<CheckResult> checkWithRetries(OriginState o, int retriesLeft) {
    return probe.check(spec, o.origin(), egress.sourceFor(o.origin().socketAddress()))
        .thenCompose(r -> r.passed() || retriesLeft <= 0 ? CompletableFuture.completedFuture(r) : checkWithRetries(o, retriesLeft - 1));
  }

  void stop() {
    rounds.cancel(false);
  }
}
