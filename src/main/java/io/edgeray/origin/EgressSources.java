package io.edgeray.origin;

import io.edgeray.config.Cidr;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The source addresses origin connections are made from, taken from {@code edge.egress}. An entry
 * that is one address ({@code 127.0.0.2}, {@code /32}, {@code /128}) is bound; connections are
 * spread over those of the origin's family in turn. A wider block is published for allowlists but
 * not bound, because the edge cannot know which of its addresses the host owns; with no single
 * address of the right family the kernel chooses the source, as it would without egress.
 */
public final class EgressSources {
  public static final EgressSources NONE = new EgressSources(List.of());

  private final List<InetAddress> v4;
  private final List<InetAddress> v6;
  private final AtomicInteger next = new AtomicInteger();

  public EgressSources(List<Cidr> egress) {
    List<InetAddress> single = egress.stream()
        .filter(c -> c.prefixLength() == c.address().getAddress().length * 8)
        .map(Cidr::address)
        .toList();
    this.v4 = single.stream().filter(a -> a instanceof Inet4Address).toList();
    this.v6 = single.stream().filter(a -> !(a instanceof Inet4Address)).toList();
  }

  /** The local address to bind a connection to {@code origin} to, or null to let the kernel choose. */
  public InetSocketAddress sourceFor(InetSocketAddress origin) {
    List<InetAddress> family = origin.getAddress() instanceof Inet4Address ? v4 : v6;
    if (family.isEmpty()) return null;
    return new InetSocketAddress(family.get(Math.floorMod(next.getAndIncrement(), family.size())), 0);
  }

  /**
   * The addresses this host cannot bind, each with the system's reason. Connections from them
   * would fail as 523 (address not available), so the node says so when it loads the config.
   */
  public java.util.Map<InetAddress, String> unbindable() {
    java.util.Map<InetAddress, String> bad = new java.util.LinkedHashMap<>();
    for (InetAddress a : addresses()) {
      try (java.net.Socket probe = new java.net.Socket()) {
        probe.bind(new InetSocketAddress(a, 0));
      } catch (java.io.IOException e) {
        bad.put(a, String.valueOf(e.getMessage()));
      }
    }
    return bad;
  }

  /** Every address that would be bound, both families. */
  public List<InetAddress> addresses() {
    return java.util.stream.Stream.concat(v4.stream(), v6.stream()).toList();
  }
}
