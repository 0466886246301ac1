package io.edgeray.fleet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node listed under {@code PREFIX/nodes/NAME}: the record is written under a lease of
 * {@code fleet.lease} and refreshed every third of it, and again at once when the node applies a
 * new config. A node that dies stops refreshing, and etcd drops its record when the lease runs
 * out. A lease that expired while etcd was away is replaced by a new one.
 */
final class NodeRegistration implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeRegistration.class);
  static final ObjectMapper JSON = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

  private final Etcd etcd;
  private final String key;
  private final Duration ttl;
  private final Supplier<NodeInfo> info;
  private long lease;
  private boolean failing;

  NodeRegistration(Etcd etcd, String key, Duration ttl, Supplier<NodeInfo> info) {
    this.etcd = etcd;
    this.key = key;
    this.ttl = ttl;
    this.info = info;
  }

  /** The lease the record is held by, 0 while there is none; on the fleet's thread. */
  long lease() {
    return lease;
  }

  Duration every() {
    return ttl.dividedBy(3);
  }

  /** Called on the fleet's thread, every {@link #every()} and after each applied config. */
  void refresh() {
    try {
      if (lease != 0 && !etcd.keepAlive(lease)) lease = 0;
      if (lease == 0) lease = etcd.grantLease(ttl);
      etcd.put(key, JSON.writeValueAsString(info.get()), lease);
      if (failing) LOG.info("fleet: registered again as {}", key);
      failing = false;
    } catch (Etcd.Unreachable e) {
      if (!failing) LOG.warn("fleet: cannot refresh {} ({}); other nodes will stop listing this one after {}", key,
          e.getMessage(), ttl);
      failing = true;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String now(Clock clock) {
    return Instant.now(clock).toString();
  }

  /** Leaves the list at once on a clean stop, rather than after the lease. */
  @Override
  public void close() {
    if (lease == 0) return;
    try {
      etcd.revoke(lease);
    } catch (Etcd.Unreachable e) {
      LOG.debug("fleet: could not revoke the lease: {}", e.getMessage());
    }
  }
}
