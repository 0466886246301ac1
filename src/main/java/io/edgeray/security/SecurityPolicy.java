package io.edgeray.security;

import io.edgeray.config.DnsRecord;
import io.edgeray.config.EdgeConfig;
import io.edgeray.config.Zone;
import io.edgeray.config.LoadBalancer;
import io.edgeray.config.PoolOrigin;
import io.edgeray.config.PoolSpec;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The request filter of the whole edge for one config: build it when a config loads, swap it
 * whole on reload, and call {@link #evaluate} for every request. Immutable and safe to share
 * across event-loop threads; the rules were compiled by the config loader, so building is cheap.
 * The counters and events it records to are the {@link SecurityRuntime}'s and survive the swap.
 */
public final class SecurityPolicy {
  private final Map<String, ZonePolicy> zones;
  private final ZonePolicy noZone;

  private SecurityPolicy(Map<String, ZonePolicy> zones, ZonePolicy noZone) {
    this.zones = Map.copyOf(zones);
    this.noZone = noZone;
  }

  /** The policy for a loaded config. */
  public static SecurityPolicy build(EdgeConfig config, SecurityRuntime runtime) {
    Map<String, PoolSpec> pools = new HashMap<>();
    for (PoolSpec p : config.pools()) pools.put(p.name(), p);
    Map<String, ZonePolicy> zones = new HashMap<>();
    for (Zone z : config.zones()) {
      zones.put(z.name(), new ZonePolicy(z.name(), ZoneSecurity.of(z), IpAccessList.of(config), originAddresses(z, pools), runtime));
    }
    return new SecurityPolicy(zones, new ZonePolicy("-", ZoneSecurity.NONE, IpAccessList.of(config), Set.of(), runtime));
  }

  /**
   * A policy for one zone's rules alone, without a config file: for tests, benchmarks and tools.
   *
   * @param originAddresses the zone's own origins, for the self-lockout flag
   */
  public static SecurityPolicy of(String zone, ZoneSecurity security, IpAccessList edgeIpAccess,
      Set<InetAddress> originAddresses, SecurityRuntime runtime) {
    return new SecurityPolicy(
        Map.of(zone, new ZonePolicy(zone, security, edgeIpAccess, originAddresses, runtime)),
        new ZonePolicy("-", ZoneSecurity.NONE, edgeIpAccess, Set.of(), runtime));
  }

  /**
   * The verdict for one request: IP access rules, then the zone's firewall rules, then its rate
   * limits. A request of no known zone ({@code facts.zone()} null or not in the config) meets the
   * edge-wide IP rules only. Records every event it returns.
   */
  public SecurityVerdict evaluate(RequestFacts facts) {
    return policy(facts.zone()).evaluate(RequestActivation.of(facts));
  }

  /** Whether any rule applies to requests of {@code zone} (null: of no zone). */
  public boolean watches(String zone) {
    return !policy(zone).isEmpty();
  }

  /** The rules requests of {@code zone} meet (null or unknown: the edge-wide ones). */
  ZonePolicy policy(String zone) {
    ZonePolicy p = zone == null ? null : zones.get(zone);
    return p == null ? noZone : p;
  }

  /** The zone's own origin addresses: its A and AAAA records and the origins of the pools its load balancers use. */
  static Set<InetAddress> originAddresses(Zone zone, Map<String, PoolSpec> pools) {
    Set<InetAddress> out = new HashSet<>();
    for (DnsRecord r : zone.records()) {
      if (r.type() != DnsRecord.Type.A && r.type() != DnsRecord.Type.AAAA) continue;
      try {
        out.add(InetAddress.getByName(r.content())); // validated as a literal: no lookup is made
      } catch (UnknownHostException e) {
        // the loader accepts only literals here
      }
    }
    for (LoadBalancer lb : zone.loadBalancers()) {
      for (String name : lb.pools()) add(out, pools.get(name));
      if (lb.fallback() != null) add(out, pools.get(lb.fallback()));
    }
    return out;
  }

  private static void add(Set<InetAddress> out, PoolSpec pool) {
    if (pool == null) return;
    for (PoolOrigin o : pool.origins()) out.add(o.address());
  }
}
