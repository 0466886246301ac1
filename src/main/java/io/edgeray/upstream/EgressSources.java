package io.edgeray.upstream;

import io.edgeray.config.Cidr;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The source addresses origin connections are made from, taken from {@code edge.egress}. An entry
 * that is one address ({@code 127.0.0.2}, {@code /32}, {@code /128}) is bound; connections are
 * spread over those of the origin's family in turn. A wider block is published for allowlists but
 * not bound, because the edge cannot know which of its addresses the host owns; with no single
 * address of the right family the kernel chooses the source, as it would without egress.
 */
public final class EgressSources {
  private final List<InetSocketAddress> v4;
  private final List<InetSocketAddress> v6;
  private final AtomicInteger next = new AtomicInteger();

  public EgressSources(List<Cidr> egress) {
    List<InetSocketAddress> single = egress.stream()
        .filter(c -> c.prefixLength() == c.address().getAddress().length * 8)
        .map(c -> new InetSocketAddress(c.address(), 0))
        .toList();
    this.v4 = single.stream().filter(a -> a.getAddress() instanceof Inet4Address).toList();
    this.v6 = single.stream().filter(a -> !(a.getAddress() instanceof Inet4Address)).toList();
  }

  /** The local address to bind a connection to {@code origin} to, or null to let the kernel choose. */
  public InetSocketAddress sourceFor(InetSocketAddress origin) {
    List<InetSocketAddress> family = origin.getAddress() instanceof Inet4Address ? v4 : v6;
    if (family.isEmpty()) return null;
    return family.get(Math.floorMod(next.getAndIncrement(), family.size()));
  }

  /**
   * The addresses this host cannot bind, each with the system's reason. Connections from them
   * would fail as 523 (address not available), so the node says so when it loads the config.
   */
  public Map<InetAddress, String> unbindable() {
    Map<InetAddress, String> bad = new LinkedHashMap<>();
    for (InetSocketAddress a : Stream.concat(v4.stream(), v6.stream()).toList()) {
      try (Socket probe = new Socket()) {
        probe.bind(a);
      } catch (IOException e) {
        bad.put(a.getAddress(), String.valueOf(e.getMessage()));
      }
    }
    return bad;
  }
}
