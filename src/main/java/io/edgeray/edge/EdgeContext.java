package io.edgeray.edge;

import io.edgeray.cache.CacheMetrics;
import io.edgeray.cache.CachePhase;
import io.edgeray.cache.CacheStorageSettings;
import io.edgeray.cache.HttpCache;
import io.edgeray.config.EdgeConfig;
import io.edgeray.dns.OriginResolver;
import io.edgeray.hardening.EdgeTimers;
import io.edgeray.observe.RayObserver;
import io.edgeray.upstream.EgressSources;
import io.edgeray.routing.ImplicitPools;
import io.edgeray.routing.OriginRouter;
import io.edgeray.upstream.OriginConnectionPool;
import io.edgeray.phase.Phase;
import io.edgeray.pool.Pools;
import io.edgeray.security.SecurityPhase;
import io.edgeray.security.SecurityPolicy;
import io.edgeray.security.SecurityRuntime;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.edgeray.upstream.OriginConnector;
import io.edgeray.upstream.Transport;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import io.edgeray.tls.EdgeTls;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.List;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every ray on this node shares: the current settings (swapped whole on reload), the origin
 * connection pool, the origin pools with their health, the TLS certificates and contexts, the observers, and the drain state during shutdown.
 */
final class EdgeContext {

  /** Everything derived from one config, replaced together so no ray ever sees half a reload. */
  record Settings(EdgeConfig config, OriginResolver resolver, EgressSources egress, String pseudonym, Phases phases) {
    static Settings of(EdgeConfig config, OriginResolver resolver, EdgeContext edge) {
      String pseudonym = "edgeray-" + config.node();
      List<Phase> firewall = List.of(new SecurityPhase(SecurityPolicy.build(config, edge.security)));
      return new Settings(config, resolver, new EgressSources(config.edge().egress()), pseudonym,
          Phases.standard(pseudonym, new OriginRouter(config), edge.pools, edge.tls, firewall, List.of(new CachePhase(edge.cache, edge.refresher))));
    }
  }

  final Transport transport;
  final OriginConnector connector;
  final OriginConnectionPool pool;
  final EventLoopGroup monitorLoop;
  final Pools pools;
  final RayObserver observer;
  final EdgeTls tls;
  /** The node's one HTTP cache, shared by every zone and kept across reloads. */
  final HttpCache cache;
  /** Stale-while-revalidate refreshes, sent to this node's own listeners once they are bound. */
  final SelfRefresher refresher;
  volatile InetSocketAddress httpListener;
  volatile InetSocketAddress httpsListener;
  /** Rate-limit counters and security events: they outlive reloads. */
  final SecurityRuntime security;
  /** The edge's own visitor timers (request-head deadline); a test's manual clock, or the event loops' real one. */
  final EdgeTimers timers;
  final AtomicInteger activeRays = new AtomicInteger();
  volatile Settings settings;
  volatile boolean draining;
  /** Set when the grace period is over and the connections still open are being cut. */
  volatile boolean cutting;
  volatile Set<InetSocketAddress> ownAddresses = Set.of();

  EdgeContext(Transport transport, EdgeConfig config, OriginResolver resolver, RayObserver observer,
      PrometheusRegistry registry, EdgeTimers timers) {
    this.transport = transport;
    this.security = SecurityRuntime.create(registry);
    this.timers = timers;
    this.connector = new OriginConnector(transport.socketChannel());
    this.observer = observer;
    this.pool = new OriginConnectionPool(config.limits().originIdle());
    // health checks and ejection timers get their own thread, so a burst of visitors cannot delay them
    this.monitorLoop = transport.newGroup(1, "edgeray-monitor");
    this.pools = new Pools(monitorLoop, connector, System::nanoTime, Duration.ofSeconds(1));
    this.tls = new EdgeTls(config);
    CacheMetrics cacheMetrics = new CacheMetrics(registry);
    // read once at start: a reload keeps the storage (and what it holds) the node started with
    CacheStorageSettings storage = config.features().get(CacheStorageSettings.class, CacheStorageSettings.DEFAULTS);
    try {
      this.cache = HttpCache.create(storage.open(cacheMetrics), cacheMetrics, config.node());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cache_storage.disk.path " + storage.diskPath() + ": cannot use it: " + e, e);
    }
    this.refresher = new SelfRefresher(() -> httpListener, () -> httpsListener);
    this.settings = Settings.of(config, resolver, this);
    pools.update(ImplicitPools.withConfigured(config), settings.egress());
  }

  /** Whether connecting to {@code origin} would reach this edge's own listener: a loop. */
  boolean isSelf(InetSocketAddress origin) {
    return ownAddresses.contains(origin);
  }

  /** Remembers the addresses our listeners answer on; a wildcard bind answers on every local address. */
  void listeningOn(InetSocketAddress bound) {
    Set<InetSocketAddress> own = new HashSet<>(ownAddresses);
    if (bound.getAddress().isAnyLocalAddress()) {
      try {
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
          for (InetAddress a : Collections.list(nif.getInetAddresses())) own.add(new InetSocketAddress(a, bound.getPort()));
        }
      } catch (SocketException e) {
        own.add(new InetSocketAddress(InetAddress.getLoopbackAddress(), bound.getPort()));
      }
    } else {
      own.add(bound);
    }
    ownAddresses = Set.copyOf(own);
  }
}
