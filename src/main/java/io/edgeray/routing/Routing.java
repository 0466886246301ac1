package io.edgeray.routing;

import io.edgeray.config.Zone;
import io.edgeray.failure.EdgeRefusal;
import io.edgeray.config.LoadBalancer;
import java.net.InetAddress;
import java.util.List;

/** Where a request for a host goes: refused by the edge, failed before any connection, or to an origin. */
public sealed interface Routing {

  record Refused(EdgeRefusal refusal, String detail) implements Routing {}

  /** The host is ours but its origin cannot be found (a CNAME into our zones that leads nowhere). */
  record Unresolvable(Zone zone, String detail) implements Routing {}

  /**
   * @param addresses the origin addresses in record order, or empty when {@code name} must be resolved
   * @param name the external name a proxied CNAME points at, or null
   */
  record ToOrigin(Zone zone, List<InetAddress> addresses, String name) implements Routing {}

  /** The host is load-balanced: its origins come from the pools {@code balancer} names. */
  record ToPool(Zone zone, LoadBalancer balancer) implements Routing {}
}
