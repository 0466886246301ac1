package io.edgeray.pool;

import io.edgeray.config.PoolSpec;
import io.edgeray.config.Steering;
import io.edgeray.failure.EdgeRefusal;
import io.edgeray.phase.Decision;
import io.edgeray.phase.Peers;
import io.edgeray.upstream.Peer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which origin one request tries next. Pools are asked in order, skipping critical ones; when all
 * are critical the fallback pool takes the request, healthy origins first. Each origin is tried at
 * most once, and at most {@code 1 + retries} origins in all. One picker per ray, used from the
 * ray's event loop only.
 */
public final class OriginPicker implements Peers {
  private final Pools pools;
  private final List<Pool> order;
  private final Pool fallback;
  private final String clientIp;
  private final String affinity;
  private final int defaultPort;
  private final Set<OriginState> tried = new HashSet<>();
  private final int maxAttempts;
  private final boolean retryIdempotent;
  private OriginState current;

  OriginPicker(Pools pools, List<Pool> order, Pool fallback, String clientIp, String affinity, int defaultPort) {
    this.pools = pools;
    this.order = order;
    this.fallback = fallback;
    this.clientIp = clientIp;
    this.affinity = affinity;
    this.defaultPort = defaultPort;
    PoolSpec first = !order.isEmpty() ? order.get(0).spec() : fallback != null ? fallback.spec() : null;
    this.maxAttempts = first == null ? 0 : 1 + first.retries();
    this.retryIdempotent = first != null && first.retryIdempotent();
  }

  /** The next origin to try, or null when the attempts are used up or no origin is left. */
  @Override
  public Peer next() {
    if (tried.size() >= maxAttempts) return null;
    OriginState o = choose();
    if (o != null) tried.add(o);
    current = o;
    return o == null ? null : new PoolPeer(o, defaultPort);
  }

  private OriginState choose() {
    for (Pool p : order) {
      if (p.status() == PoolStatus.CRITICAL) continue;
      OriginState o = p.pick(tried, clientIp, affinity, false);
      if (o != null) return o;
    }
    OriginState o = fallback.pick(tried, clientIp, affinity, false);
    // the last resort: an origin believed down may have come back; trying it beats a certain error
    return o != null ? o : fallback.pick(tried, clientIp, affinity, true);
  }

  @Override
  public boolean anyLeft() {
    return tried.size() < maxAttempts;
  }

  /** Whether a request whose bytes reached an origin may be tried on another: when the pool allows it. */
  @Override
  public boolean retriesSentRequests() {
    return retryIdempotent;
  }

  @Override
  public void connectFailed(Peer peer) {
    pools.connectFailed(((PoolPeer) peer).state());
  }

  @Override
  public void connected(Peer peer) {
    ((PoolPeer) peer).state().connectSucceeded();
  }

  @Override
  public Decision nothingToTry(String host) {
    return Decision.refuse(EdgeRefusal.NO_ORIGIN_ENABLED, "every origin of the pools serving " + host + " is disabled");
  }

  /**
   * The affinity cookie value to set on the response, or null when the visitor's cookie already
   * names the origin that answered (or the pool does not use cookie affinity).
   */
  public String affinityToSet() {
    if (current == null) return null;
    Pool p = pools.pool(current.pool());
    if (p == null || p.spec().steering() != Steering.COOKIE) return null;
    return current.id().equals(affinity) ? null : current.id();
  }
}
