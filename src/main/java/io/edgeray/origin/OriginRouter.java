package io.edgeray.origin;

import io.edgeray.config.DnsRecord;
import io.edgeray.config.EdgeConfig;
import io.edgeray.config.Zone;
import io.edgeray.edge.EdgeRefusal;
import io.edgeray.pool.LoadBalancer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * Decides, from the config alone, where a host's origin is. The record is the origin, as on
 * Cloudflare: proxied A and AAAA records give addresses; a proxied CNAME is followed through our
 * own zones and otherwise left for the resolver. A host with a load balancer goes to its pools
 * instead, and so does one with several A/AAAA records: they form an implicit pool ({@link ImplicitPools}).
 */
public final class OriginRouter {
  private static final int MAX_CNAME_CHAIN = 8;

  private final EdgeConfig config;

  public OriginRouter(EdgeConfig config) {
    this.config = config;
  }

  public Routing route(String host) {
    Optional<Zone> zone = config.zoneFor(host);
    if (zone.isEmpty()) {
      return new Routing.Refused(EdgeRefusal.HOST_NOT_SERVED, "no zone on this edge covers " + host);
    }
    if (zone.get().paused()) {
      return new Routing.Refused(EdgeRefusal.ZONE_PAUSED,
          "zone " + zone.get().name() + " is paused: its records are answered DNS-only and the edge does not proxy it");
    }
    LoadBalancer balancer = zone.get().loadBalancerFor(host);
    if (balancer != null) return new Routing.ToPool(zone.get(), balancer);
    List<DnsRecord> records = origins(zone.get(), host);
    if (records.isEmpty()) {
      return new Routing.Refused(EdgeRefusal.HOST_NOT_SERVED,
          "zone " + zone.get().name() + " has no A, AAAA or CNAME record for " + host);
    }
    if (records.stream().noneMatch(DnsRecord::proxied)) {
      return new Routing.Refused(EdgeRefusal.HOST_NOT_SERVED,
          "the record for " + host + " is DNS-only (proxied: false), so this edge does not serve it");
    }
    return follow(zone.get(), host, records.stream().filter(DnsRecord::proxied).toList(), 0);
  }

  private Routing follow(Zone zone, String host, List<DnsRecord> records, int depth) {
    DnsRecord first = records.get(0);
    if (first.type() != DnsRecord.Type.CNAME) {
      // an implicit pool is made of proxied records only (ImplicitPools); a CNAME may lead to
      // DNS-only ones, which are then tried in record order, each once
      if (records.size() > 1 && records.stream().allMatch(DnsRecord::proxied)) {
        String pool = ImplicitPools.nameFor(first.name());
        return new Routing.ToPool(zone, new LoadBalancer(host, List.of(pool), null));
      }
      return new Routing.ToOrigin(zone, records.stream().map(r -> literal(r.content())).toList(), null);
    }
    String target = first.content();
    Optional<Zone> targetZone = config.zoneFor(target);
    if (targetZone.isEmpty()) return new Routing.ToOrigin(zone, List.of(), target);
    if (depth >= MAX_CNAME_CHAIN) {
      return new Routing.Unresolvable(zone, "CNAME chain from " + host + " is longer than " + MAX_CNAME_CHAIN);
    }
    List<DnsRecord> next = origins(targetZone.get(), target);
    if (next.isEmpty()) {
      return new Routing.Unresolvable(zone, host + " is a CNAME to " + target + ", which has no A, AAAA or CNAME record");
    }
    return follow(zone, host, next, depth + 1);
  }

  private static List<DnsRecord> origins(Zone zone, String host) {
    return zone.recordsFor(host).stream().filter(r -> r.type().proxiable()).toList();
  }

  /** Record contents were checked to be IP literals when the config was loaded: no lookup happens. */
  private static InetAddress literal(String ip) {
    try {
      return InetAddress.getByName(ip);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("config admitted a non-literal address " + ip, e);
    }
  }
}
