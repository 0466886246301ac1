package io.edgeray.config;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;

/**
 * The edge's own addresses, as the outside world sees them.
 *
 * @param addresses the public addresses visitors reach the edge on; the DNS server answers
 *     proxied records with them. They are only data: the edge never connects to them.
 * @param egress the source addresses (or blocks) the edge connects to origins from; they are
 *     published at /ips-v4, /ips-v6 and /api/ips so origin firewalls can allowlist the edge
 */
public record EdgeNetwork(List<InetAddress> addresses, List<Cidr> egress) {
  public static final EdgeNetwork NONE = new EdgeNetwork(List.of(), List.of());

  public EdgeNetwork {
    addresses = List.copyOf(addresses);
    egress = List.copyOf(egress);
  }

  public List<InetAddress> ipv4Addresses() {
    return addresses.stream().filter(a -> a instanceof Inet4Address).toList();
  }

  public List<InetAddress> ipv6Addresses() {
    return addresses.stream().filter(a -> a instanceof Inet6Address).toList();
  }
}
