package io.edgeray.config;

import java.util.List;

/**
 * A site's domain with its records and settings.
 *
 * @param paused every record is answered as DNS-only and the edge stops proxying the zone
 * @param loadBalancers host names served by origin pools instead of by their records
 * @param features the settings of the features above the config (cache, firewall), each under its type
 */
public record Zone(
    String name,
    OriginPorts originPorts,
    Timeouts timeouts,
    HeaderStyle headers,
    List<DnsRecord> records,
    boolean paused,
    ZoneTls tls,
    List<LoadBalancer> loadBalancers,
    Features features) {

  /** The records whose name is exactly {@code host}, or a wildcard covering it when none is. */
  public List<DnsRecord> recordsFor(String host) {
    List<DnsRecord> exact = records.stream().filter(r -> r.name().equals(host)).toList();
    if (!exact.isEmpty()) return exact;
    int dot = host.indexOf('.');
    if (dot < 0) return List.of();
    String wildcard = "*" + host.substring(dot);
    return records.stream().filter(r -> r.name().equals(wildcard)).toList();
  }

  /** The load balancer for exactly {@code host}, or null. */
  public LoadBalancer loadBalancerFor(String host) {
    for (LoadBalancer lb : loadBalancers) if (lb.host().equals(host)) return lb;
    return null;
  }
}
