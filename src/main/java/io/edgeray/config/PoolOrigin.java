package io.edgeray.config;

import io.edgeray.config.OverloadLimit;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * One origin of a pool, as configured.
 *
 * @param name unique within its pool; it names the origin in logs, metrics, cookies and webhooks
 * @param weight share of traffic under weighted steering, relative to the pool's other origins
 * @param port 0 for an origin that is a zone's record: the port then follows the zone's SSL mode
 * @param enabled false takes the origin out of rotation without deleting it
 * @param maxConnections this origin's own connection limit, or -1 for the pool's
 */
public record PoolOrigin(String name, InetAddress address, int port, int weight, boolean enabled, int maxConnections) {

  /** The pool's overload limit, with this origin's own max_connections when it has one. */
  public OverloadLimit limitWithin(OverloadLimit pool) {
    return maxConnections < 0 ? pool : new OverloadLimit(maxConnections, pool.queue(), pool.queueTimeout());
  }

  public InetSocketAddress socketAddress() {
    return new InetSocketAddress(address, port);
  }

  /** {@code 127.0.0.1:8001} or {@code [::1]:8001}, as attempts are written in the access log; the bare address for port 0. */
  public String hostPort() {
    String ip = address.getHostAddress();
    if (port == 0) return ip;
    return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + port;
  }
}
