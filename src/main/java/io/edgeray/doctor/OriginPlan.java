package io.edgeray.doctor;

import io.edgeray.config.Zone;
import java.net.InetAddress;
import java.util.List;

/**
 * Where the edge would send the host's requests, worked out from the config as the edge does.
 *
 * @param addresses the origin addresses, in record order (resolved when the record is a CNAME)
 * @param originTls whether the zone's SSL mode speaks TLS to the origin for this visitor's scheme
 * @param port the port that mode connects to; {@code otherPort} is the other scheme's port
 * @param siblings addresses other proxied records of the zone point at, for spotting a wrong record
 */
record OriginPlan(Zone zone, List<InetAddress> addresses, boolean originTls, int port, int otherPort,
    List<InetAddress> siblings) {

  String scheme() {
    return originTls ? "https" : "http";
  }

  String otherScheme() {
    return originTls ? "http" : "https";
  }
}
