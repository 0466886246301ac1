package io.edgeray.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The {@code fleet:} section: where the shared config (etcd) and the shared rate-limit counters
 * (Redis) live, and how this node introduces itself to the others. Absent, the node stands alone.
 *
 * @param etcd etcd endpoints ({@code http://host:port}), tried in turn
 * @param prefix every key of this fleet starts with it ({@code /edgeray})
 * @param node this node's name in the node list (the ray id suffix unless set)
 * @param location where the node is, for people ("Amsterdam")
 * @param redis the shared counters, or null: rate limits count on this node only
 * @param adminUrl how the other nodes reach this node's admin API; null: its admin listener as bound
 * @param lease how long the node stays listed after it stops refreshing its registration
 * @param redisTimeout how long a rate-limit answer from Redis may take before the node counts locally
 */
public record FleetSettings(List<URI> etcd, String prefix, String node, String location, URI redis, String adminUrl,
    Duration lease, Duration redisTimeout) {

  /**
   * Top-level config keys that are the fleet's, not the node's: they come from etcd and replace
   * the node file's own. Everything else (node, listen, admin, access_log, edge, dns, limits,
   * resolver, fleet) stays in the node's file. {@code admin_tokens} are admin API tokens (hashes
   * only) that count on every node's admin listener, beside the node's own {@code admin.tokens}.
   */
  public static final Set<String> SHARED_KEYS = Set.of("zones", "pools", "ip_access", "timeouts", "headers", "admin_tokens");
}
