package io.edgeray.config;

import io.edgeray.config.PoolSpec;
import java.util.List;
import java.util.Optional;

/**
 * The whole configuration of one edge node, validated. Instances are immutable; a reload builds
 * a new one and swaps it in whole.
 *
 * @param admin the admin listener and its tokens; null when there is none
 * @param resolvers DNS servers for origin names; empty means the system resolver
 * @param edge the edge's public addresses (DNS answers) and egress addresses (origin connections)
 * @param dnsListen where the authoritative DNS server listens; null when it is not configured
 * @param httpsListen the HTTPS listener, or null when HTTPS is off
 * @param pools the origin pools that zones' load balancers name
 * @param features the edge-wide settings of the features above the config (the firewall's IP access rules)
 * @param fleet the fleet this node belongs to, or null when it stands alone
 */
public record EdgeConfig(
    String source,
    String node,
    HostPort httpListen,
    AdminSettings admin,
    String accessLog,
    Limits limits,
    List<Zone> zones,
    List<HostPort> resolvers,
    EdgeNetwork edge,
    HostPort dnsListen,
    HostPort httpsListen,
    List<PoolSpec> pools,
    Features features,
    FleetSettings fleet) {

  public EdgeConfig {
    zones = Zones.of(zones);
  }

  /** Where the admin listener listens, or null when there is none. */
  public HostPort adminListen() {
    return admin == null ? null : admin.listen();
  }

  /** The zone a host belongs to: the longest zone name that is a suffix of the host. */
  public Optional<Zone> zoneFor(String host) {
    return zones == null ? Optional.empty() : Optional.ofNullable(((Zones) zones).forHost(host));
  }
}
