package io.edgeray.config.load;

import io.edgeray.config.Zone;
import io.edgeray.config.HostPort;
import io.edgeray.config.EdgeConfig;
import io.edgeray.config.DnsRecord;
import io.edgeray.config.ConfigException;
import io.edgeray.config.SslMode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The edge's own listeners, to refuse a zone whose origin is one of them: with the default
 * {@code ssl: full}, {@code origin_ports.https: 8443} and {@code listen.https: 127.0.0.1:8443},
 * every HTTPS visitor would be sent back into the edge (a loop, error 1000). A listener on
 * 0.0.0.0 or :: covers every address of this machine.
 */
final class OwnListeners {
  private record Listener(String key, String label, String shown, InetAddress address, int port) {
    boolean any() {
      return address.isAnyLocalAddress();
    }
  }

  private final List<Listener> listeners;

  private OwnListeners(List<Listener> listeners) {
    this.listeners = listeners;
  }

  /** The listeners a config asks for (port 0, "any free port", can never be an origin's port). */
  static OwnListeners of(EdgeConfig c) {
    Map<String, HostPort> configured = new LinkedHashMap<>();
    configured.put("listen.http", c.httpListen());
    if (c.httpsListen() != null) configured.put("listen.https", c.httpsListen());
    if (c.adminListen() != null) configured.put("admin", c.adminListen());
    if (c.dnsListen() != null) configured.put("dns", c.dnsListen());
    List<Listener> out = new ArrayList<>();
    configured.forEach((key, hp) -> {
      if (hp.port() == 0) return;
      try {
        for (InetAddress a : InetAddress.getAllByName(hp.host())) {
          out.add(new Listener(key, label(key), hp.toString(), a, hp.port()));
        }
      } catch (UnknownHostException e) {
        // the listen address was checked when it was read; a name that stopped resolving matches nothing
      }
    });
    return new OwnListeners(out);
  }

  /** The listeners as they are bound now, by config key ({@code listen.http}, ...). */
  static OwnListeners bound(Map<String, InetSocketAddress> bound) {
    List<Listener> out = new ArrayList<>();
    bound.forEach((key, a) -> {
      if (a != null) {
        out.add(new Listener(key, label(key), new HostPort(a.getAddress().getHostAddress(), a.getPort()).toString(),
            a.getAddress(), a.getPort()));
      }
    });
    return new OwnListeners(out);
  }

  private static String label(String key) {
    return switch (key) {
      case "listen.http" -> "HTTP listener";
      case "listen.https" -> "HTTPS listener";
      case "admin" -> "admin port";
      default -> "DNS server";
    };
  }

  /**
   * Throws for the first proxied record whose origin address and port, in some visitor scheme, is
   * a listener, or the first pool origin that is one; {@code poolOriginLines} has the line of
   * each pool's each origin.
   */
  void check(EdgeConfig c, List<List<Integer>> poolOriginLines) throws ConfigException {
    boolean httpsVisitors = c.httpsListen() != null;
    for (int zi = 0; zi < c.zones().size(); zi++) {
      Zone z = c.zones().get(zi);
      SslMode mode = z.tls().ssl();
      for (int ri = 0; ri < z.records().size(); ri++) {
        DnsRecord r = z.records().get(ri);
        if (!r.proxied() || (r.type() != DnsRecord.Type.A && r.type() != DnsRecord.Type.AAAA)) continue;
        InetAddress origin;
        try {
          origin = InetAddress.getByName(r.content()); // an IP literal: no lookup
        } catch (UnknownHostException e) {
          continue;
        }
        // HTTP visitors: the HTTP port, except strict, which always speaks HTTPS to the origin
        check(c, zi, ri, z, r, origin, "HTTP", mode == SslMode.STRICT);
        // HTTPS visitors: off redirects them; flexible goes to the HTTP port; full* to the HTTPS port
        if (httpsVisitors && mode != SslMode.OFF) check(c, zi, ri, z, r, origin, "HTTPS", mode != SslMode.FLEXIBLE);
      }
    }
    for (int pi = 0; pi < c.pools().size(); pi++) {
      var pool = c.pools().get(pi);
      for (int oi = 0; oi < pool.origins().size(); oi++) {
        var o = pool.origins().get(oi);
        Listener hit = reached(o.address(), o.port());
        if (hit == null) continue;
        int line = pi < poolOriginLines.size() && oi < poolOriginLines.get(pi).size() ? poolOriginLines.get(pi).get(oi) : 0;
        HostPort at = new HostPort(o.address().getHostAddress(), o.port());
        throw new ConfigException(c.source(), line, "pools[" + pi + "].origins[" + oi + "]",
            "pool " + pool.name() + "'s origin " + o.name() + " at " + at + " is this edge's own " + hit.label()
                + " (" + hit.key() + ": " + hit.shown() + "): its requests would be sent back to the edge in a loop"
                + " (error 1000); give the address and port the origin listens on");
      }
    }
  }

  private void check(EdgeConfig c, int zi, int ri, Zone z, DnsRecord r, InetAddress origin, String visitors,
      boolean originHttps) throws ConfigException {
    int port = originHttps ? z.originPorts().https() : z.originPorts().http();
    Listener hit = reached(origin, port);
    if (hit == null) return;
    String portKey = originHttps ? "origin_ports.https" : "origin_ports.http";
    String mode = z.tls().ssl().name().toLowerCase(java.util.Locale.ROOT);
    String fix = "set the zone's " + portKey + " to the port the origin serves " + (originHttps ? "HTTPS" : "HTTP") + " on";
    if (originHttps && z.tls().ssl() == SslMode.FULL) fix += ", or ssl: flexible if the origin speaks only HTTP";
    throw new ConfigException(c.source(), r.line(), "zones[" + zi + "].records[" + ri + "]",
        r.name() + "'s origin " + new HostPort(r.content(), port) + " is this edge's own " + hit.label()
            + " (" + hit.key() + ": " + hit.shown() + "): " + visitors + " visitors (ssl: " + mode
            + ") would be sent back to the edge in a loop (error 1000); " + fix);
  }

  private Listener reached(InetAddress origin, int port) {
    for (Listener l : listeners) {
      if (l.port() != port) continue;
      if (l.address().equals(origin)) return l;
      if (l.any() && isLocal(origin)) return l;
    }
    return null;
  }

  private static boolean isLocal(InetAddress a) {
    if (a.isLoopbackAddress() || a.isAnyLocalAddress()) return true;
    try {
      return NetworkInterface.getByInetAddress(a) != null;
    } catch (SocketException e) {
      return false;
    }
  }
}
