package io.edgeray.cache;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hosts whose origin could not be reached a moment ago. While one is down, a request that has a
 * stale copy to fall back on gets it at once instead of first failing against the origin itself,
 * and one such request a second is let through to find out whether the origin is back: nginx's
 * {@code max_fails=1 fail_timeout}, applied only where a copy hides the failure. Requests with no
 * copy still go to the origin and get its real error.
 *
 * <p>Only failures to reach the origin count (521, 522, 523, 525, 526, 530): they hold for the
 * whole host. A bad or late answer (520, 524) may be one URL's and does not.
 */
final class OriginOutages {
  /** How often a host that is down is tried again by a request that has a stale copy. */
  static final Duration RETRY_EVERY = Duration.ofSeconds(1);
  private static final Set<Integer> UNREACHABLE = Set.of(521, 522, 523, 525, 526, 530);
  private static final int MAX_HOSTS = 10_000;

  /**
   * The last failure to reach a host's origin.
   *
   * @param ray the ray whose attempt failed: the evidence for the requests that did not try
   * @param nextTry when (epoch millis) the next request may try the origin; taken by the one that does
   */
  record Outage(OriginError error, String ray, long failedAt, AtomicLong nextTry) {
    String notTried(long now) {
      return "origin not tried: it failed " + Math.max(0, now - failedAt) + " ms ago";
    }
  }

  private final ConcurrentHashMap<String, Outage> byHost = new ConcurrentHashMap<>();

  /** An attempt to reach the host's origin failed (other failures are ignored). */
  void failed(String host, OriginError error, String ray, long now) {
    if (!UNREACHABLE.contains(error.status())) return;
    if (byHost.size() >= MAX_HOSTS) byHost.clear(); // a flood of hosts forgets; each is tried again at once
    byHost.put(host, new Outage(error, ray, now, new AtomicLong(now + RETRY_EVERY.toMillis())));
  }

  /** The host's origin answered: it is not down. */
  void answered(String host) {
    if (!byHost.isEmpty()) byHost.remove(host);
  }

  /**
   * The outage a request for this host may serve its stale copy for without trying the origin;
   * null when the host is not down, or when this request is the one that tries it again.
   */
  Outage skipFor(String host, long now) {
    Outage o = byHost.get(host);
    if (o == null) return null;
    long next = o.nextTry().get();
    if (now < next) return o;
    return o.nextTry().compareAndSet(next, now + RETRY_EVERY.toMillis()) ? null : o;
  }
}
