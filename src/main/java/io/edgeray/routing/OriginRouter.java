package io.edgeray.routing;

import io.edgeray.routing.Routing;
import io.edgeray.routing.ImplicitPools;
import io.edgeray.config.DnsRecord;
import io.edgeray.config.EdgeConfig;
import io.edgeray.config.Zone;
import io.edgeray.failure.EdgeRefusal;
import io.edgeray.config.LoadBalancer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides, from the config alone, where a host's origin is. The record is the origin, as on
 * Cloudflare: proxied A and AAAA records give addresses; a proxied CNAME is followed through our
 * own zones and otherwise left for the resolver. A host with a load balancer goes to its pools
 * instead, and so does one with several A/AAAA records: they form an implicit pool ({@link ImplicitPools}).
 */
public final class OriginRouter {
  private static final int MAX_CNAME_CHAIN = 8;
  /** Enough for every host of a large config; a flood of names under a wildcard stops being remembered there. */
  private static final int MAX_REMEMBERED = 4096;

  private final EdgeConfig config;
  /**
   * The routing of each host seen, as it is a function of the config alone (a router lives as long
   * as its config): the record lookups and address parsing ran on every ray before.
   */
  private final ConcurrentHashMap<String, Remembered> routes = new ConcurrentHashMap<>();

  private record Remembered(Zone zone, Routing routing) {}

  public OriginRouter(EdgeConfig config) {
    this.config = config;
  }

  /** Where the origin of {@code host} is, from the zone lookup on (the doctor's view of a request). */
  public Routing route(String host) {
    Zone zone = config.zoneFor(host).orElse(null);
    Routing.Refused refused = admit(zone, host);
    return refused != null ? refused : route(zone, host);
  }

  /** Whether this edge proxies {@code host} at all: a zone must cover it and not be paused; null when it does. */
  public static Routing.Refused admit(Zone zone, String host) {
    if (zone == null) return new Routing.Refused(EdgeRefusal.HOST_NOT_SERVED, "no zone on this edge covers " + host);
    if (zone.paused()) {
      return new Routing.Refused(EdgeRefusal.ZONE_PAUSED,
          "zone " + zone.name() + " is paused: its records are answered DNS-only and the edge does not proxy it");
    }
    return null;
  }

  /** Where the origin of {@code host}, in its admitted {@code zone}, is. */
  public Routing route(Zone zone, String host) {
    Remembered known = routes.get(host);
    if (known != null && known.zone() == zone) return known.routing();
    Routing r = routeNow(zone, host);
    if (routes.size() < MAX_REMEMBERED) routes.put(host, new Remembered(zone, r));
    return r;
  }

  private Routing routeNow(Zone zone, String host) {
    LoadBalancer balancer = zone.loadBalancerFor(host);
    if (balancer != null) return new Routing.ToPool(zone, balancer);
    List<DnsRecord> records = origins(zone, host);
    if (records.isEmpty()) {
      return new Routing.Refused(EdgeRefusal.HOST_NOT_SERVED,
          "zone " + zone.name() + " has no A, AAAA or CNAME record for " + host);
    }
    if (records.stream().noneMatch(DnsRecord::proxied)) {
      return new Routing.Refused(EdgeRefusal.HOST_NOT_SERVED,
          "the record for " + host + " is DNS-only (proxied: false), so this edge does not serve it");
    }
    return follow(zone, host, records.stream().filter(DnsRecord::proxied).toList(), 0);
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
