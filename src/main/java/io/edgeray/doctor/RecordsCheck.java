package io.edgeray.doctor;

import io.edgeray.config.Cidr;
import io.edgeray.config.DnsRecord;
import io.edgeray.config.EdgeConfig;
import io.edgeray.config.HostPort;
import io.edgeray.config.Zone;
import io.edgeray.dns.OriginResolver;
import io.edgeray.routing.ImplicitPools;
import io.edgeray.routing.OriginRouter;
import io.edgeray.routing.Routing;
import io.edgeray.config.LoadBalancer;
import io.edgeray.config.PoolOrigin;
import io.edgeray.config.PoolSpec;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Check 1, zone and records: is the host served, what do its records point at, and is an address
 * private, loopback, the edge's own (a loop) or unresolvable. Uses the edge's own router, so the
 * answer is the one a visitor's request gets.
 */
final class RecordsCheck {
  static final String ID = "records";
  static final String TITLE = "Zone and records";

  /** @param blocking a cause that stops the request before any connection, or null */
  record Result(OriginPlan plan, Cause blocking, String why, CheckResult check) {}

  private RecordsCheck() {}

  static Result run(EdgeConfig config, DoctorTarget target, Duration timeout) {
    Routing routing = new OriginRouter(config).route(target.host());
    if (routing instanceof Routing.Refused r) {
      return blocked(Cause.HOST_NOT_SERVED, r.detail(), List.of("edge refusal " + r.refusal()));
    }
    if (routing instanceof Routing.Unresolvable u) {
      return blocked(Cause.ORIGIN_NAME_UNRESOLVABLE, u.detail(), List.of());
    }
    if (routing instanceof Routing.ToPool to) {
      return pooled(config, target, to);
    }
    Routing.ToOrigin to = (Routing.ToOrigin) routing;
    List<String> evidence = recordLines(config, to.zone(), target);
    List<InetAddress> addresses = to.addresses();
    if (to.name() != null) {
      try {
        addresses = resolve(config, to.name(), timeout);
        evidence.add(to.name() + " resolves to " + addresses.stream().map(InetAddress::getHostAddress).toList());
      } catch (UnknownHostException e) {
        return blocked(Cause.ORIGIN_NAME_UNRESOLVABLE, to.name() + " does not resolve: " + e.getMessage(), evidence);
      }
    }
    return planned(config, target, to.zone(), addresses, -1, evidence);
  }

  /**
   * A load-balanced host, or one with several A/AAAA records (an implicit pool): every enabled
   * origin of its pools, fallback included, on the port the first of them uses. The checks probe
   * one port; origins of the pools that listen on another one are named and left out.
   */
  private static Result pooled(EdgeConfig config, DoctorTarget target, Routing.ToPool to) {
    List<String> evidence = recordLines(config, to.zone(), target);
    LoadBalancer lb = to.balancer();
    List<String> poolNames = new ArrayList<>(lb.pools());
    if (lb.fallback() != null && !poolNames.contains(lb.fallback())) poolNames.add(lb.fallback());
    evidence.add("served by pools " + poolNames + (lb.fallback() == null ? "" : ", fallback " + lb.fallback()));
    Zone zone = to.zone();
    int zonePort = zone.tls().ssl().originTls(target.visitorHttps()) ? zone.originPorts().https() : zone.originPorts().http();
    List<InetAddress> addresses = new ArrayList<>();
    int port = -1;
    for (PoolSpec pool : ImplicitPools.withConfigured(config)) {
      if (!poolNames.contains(pool.name())) continue;
      for (PoolOrigin o : pool.origins()) {
        int p = o.port() == 0 ? zonePort : o.port();
        String where = "pool " + pool.name() + ", origin " + o.name() + ": " + o.address().getHostAddress() + " port " + p;
        if (!o.enabled()) {
          evidence.add(where + " (disabled: not probed)");
        } else if (port == -1 || p == port) {
          port = p;
          if (!addresses.contains(o.address())) addresses.add(o.address());
          evidence.add(where);
        } else {
          evidence.add(where + " (another port than " + port + ": not probed)");
        }
      }
    }
    if (addresses.isEmpty()) {
      return blocked(Cause.HOST_NOT_SERVED, "the pools of " + target.host() + " have no enabled origin", evidence);
    }
    return planned(config, target, zone, addresses, port, evidence);
  }

  private static List<String> recordLines(EdgeConfig config, Zone zone, DoctorTarget target) {
    List<String> evidence = new ArrayList<>();
    for (DnsRecord r : zone.recordsFor(target.host())) {
      evidence.add(r.type() + " " + r.name() + " -> " + r.content() + (r.proxied() ? " (proxied)" : " (DNS-only)")
          + " [" + config.source() + ":" + r.line() + "]");
    }
    return evidence;
  }

  /** @param poolPort the pool origins' port, or -1 for the port the zone's SSL mode uses */
  private static Result planned(EdgeConfig config, DoctorTarget target, Zone zone, List<InetAddress> addresses,
      int poolPort, List<String> evidence) {
    Outcome outcome = Outcome.PASSED;
    for (InetAddress a : addresses) {
      String kind = kind(config, a);
      evidence.add(a.getHostAddress() + ": " + kind);
      if (kind.startsWith("the edge's own")) {
        return new Result(null, Cause.ROUTING_LOOP, target.host() + " points at " + a.getHostAddress()
            + ", an address of this edge: requests would loop", check(Outcome.PROBLEM,
                "the record points at the edge itself (" + a.getHostAddress() + ")", evidence));
      }
      if (kind.startsWith("private")) outcome = Outcome.WARNING;
    }
    boolean originTls = zone.tls().ssl().originTls(target.visitorHttps());
    int port = poolPort > 0 ? poolPort : originTls ? zone.originPorts().https() : zone.originPorts().http();
    int other = originTls ? zone.originPorts().http() : zone.originPorts().https();
    String loop = ownListener(config, addresses, port);
    if (loop != null) {
      String why = "the origin of " + target.host() + ", " + loop.replace(": ", ", is ") + ": requests would loop";
      evidence.add(why);
      return new Result(null, Cause.ROUTING_LOOP, why, check(Outcome.PROBLEM, why, evidence));
    }
    // the other visitor scheme may be sent to another port: a loop there is a warning for those visitors
    boolean otherTls = zone.tls().ssl().originTls(!target.visitorHttps());
    int otherVisitorPort = poolPort > 0 ? poolPort : otherTls ? zone.originPorts().https() : zone.originPorts().http();
    String otherLoop = otherVisitorPort == port ? null : ownListener(config, addresses, otherVisitorPort);
    if (otherLoop != null) {
      evidence.add((target.visitorHttps() ? "HTTP" : "HTTPS") + " visitors are sent to " + otherLoop.replace(": ", ", ")
          + ": their requests would loop");
      outcome = Outcome.WARNING;
    }
    evidence.add("ssl mode " + zone.tls().ssl().configName() + ": an " + (target.visitorHttps() ? "HTTPS" : "HTTP")
        + " visitor is sent to the origin over " + (originTls ? "HTTPS" : "HTTP") + " port " + port);
    OriginPlan plan = new OriginPlan(zone, addresses, originTls, port, other, siblings(zone, addresses));
    String summary = target.host() + " is served by zone " + zone.name() + "; origin "
        + addresses.stream().map(InetAddress::getHostAddress).toList() + " port " + port;
    return new Result(plan, null, null, check(outcome, summary, evidence));
  }

  /**
   * Whether an origin address and port is one of the edge's own proxy listeners: then the edge
   * connects to itself. A wildcard listener takes every address of this machine.
   *
   * @return "A port P: the edge's own HTTP listener (listen.http H:P)", or null
   */
  static String ownListener(EdgeConfig config, List<InetAddress> addresses, int port) {
    List<HostPort> listeners = new ArrayList<>();
    List<String> names = new ArrayList<>();
    if (config.httpListen() != null) {
      listeners.add(config.httpListen());
      names.add("HTTP");
    }
    if (config.httpsListen() != null) {
      listeners.add(config.httpsListen());
      names.add("HTTPS");
    }
    for (int i = 0; i < listeners.size(); i++) {
      HostPort l = listeners.get(i);
      if (l.port() != port) continue;
      InetAddress bound;
      try {
        bound = InetAddress.getByName(l.host());
      } catch (UnknownHostException e) {
        continue; // the edge could not listen there either
      }
      for (InetAddress a : addresses) {
        if (bound.equals(a) || bound.isAnyLocalAddress() && local(a)) {
          return a.getHostAddress() + " port " + port + ": the edge's own " + names.get(i) + " listener (listen."
              + names.get(i).toLowerCase(java.util.Locale.ROOT) + " " + l.host() + ":" + l.port() + ")";
        }
      }
    }
    return null;
  }

  private static Result blocked(Cause cause, String why, List<String> evidence) {
    List<String> all = new ArrayList<>(evidence);
    all.add(why);
    return new Result(null, cause, why, check(Outcome.PROBLEM, why, all));
  }

  private static CheckResult check(Outcome outcome, String summary, List<String> evidence) {
    return new CheckResult(ID, TITLE, outcome, summary, evidence, 0);
  }

  private static List<InetAddress> resolve(EdgeConfig config, String name, Duration timeout) throws UnknownHostException {
    try (OriginResolver resolver = OriginResolver.of(config.resolvers())) {
      return resolver.resolve(name).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new UnknownHostException(e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
    } catch (TimeoutException e) {
      throw new UnknownHostException("no answer within " + timeout.toMillis() + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnknownHostException("interrupted");
    }
  }

  /** Other proxied addresses of the zone: if one of them answers where this host's does not, the record is suspect. */
  private static List<InetAddress> siblings(Zone zone, List<InetAddress> own) {
    Set<InetAddress> out = new LinkedHashSet<>();
    for (DnsRecord r : zone.records()) {
      if (!r.proxied() || r.type() != DnsRecord.Type.A && r.type() != DnsRecord.Type.AAAA) continue;
      try {
        InetAddress a = InetAddress.getByName(r.content()); // a literal, checked on load: no lookup
        if (!own.contains(a)) out.add(a);
      } catch (UnknownHostException e) {
        // the loader only admits literals
      }
    }
    return List.copyOf(out);
  }

  static String kind(EdgeConfig config, InetAddress a) {
    if (config.edge().addresses().contains(a) || config.edge().egress().stream().anyMatch(c -> c.prefixLength() > 0 && c.contains(a))) {
      return "the edge's own address (edge.addresses / edge.egress)";
    }
    if (a.isLoopbackAddress()) return "loopback: the origin is on the edge's own machine";
    if (isPrivate(a)) return "private: reachable only from inside the same network";
    return local(a) ? "an address of this machine" : "public";
  }

  static boolean local(InetAddress a) {
    if (a.isLoopbackAddress()) return true;
    try {
      return NetworkInterface.getByInetAddress(a) != null;
    } catch (SocketException e) {
      return false;
    }
  }

  private static final List<Cidr> PRIVATE = List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("172.16.0.0/12"),
      Cidr.parse("192.168.0.0/16"), Cidr.parse("100.64.0.0/10"), Cidr.parse("169.254.0.0/16"), Cidr.parse("fc00::/7"),
      Cidr.parse("fe80::/10"));

  private static boolean isPrivate(InetAddress a) {
    return PRIVATE.stream().anyMatch(c -> c.contains(a));
  }
}
