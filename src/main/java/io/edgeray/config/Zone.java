package io.edgeray.config;

import io.edgeray.tls.ZoneTls;
import java.util.List;

/** A site's domain with its records and settings. */
public record Zone(
    String name,
    OriginPorts originPorts,
    Timeouts timeouts,
    HeaderStyle headers,
    List<DnsRecord> records,
    ZoneTls tls) {

  /** A zone with the default TLS settings (SSL mode full, no certificate). */
  public Zone(String name, OriginPorts originPorts, Timeouts timeouts, HeaderStyle headers, List<DnsRecord> records) {
    this(name, originPorts, timeouts, headers, records, ZoneTls.DEFAULTS);
  }

  /** The records whose name is exactly {@code host}, or a wildcard covering it when none is. */
  public List<DnsRecord> recordsFor(String host) {
    List<DnsRecord> exact = records.stream().filter(r -> r.name().equals(host)).toList();
    if (!exact.isEmpty()) return exact;
    int dot = host.indexOf('.');
    if (dot < 0) return List.of();
    String wildcard = "*" + host.substring(dot);
    return records.stream().filter(r -> r.name().equals(wildcard)).toList();
  }

  public boolean contains(String host) {
    return host.equals(name) || host.endsWith("." + name);
  }
}
