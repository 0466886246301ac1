package io.edgeray.routing;

import io.edgeray.config.DnsRecord;
import io.edgeray.config.EdgeConfig;
import io.edgeray.config.Zone;
import io.edgeray.config.OverloadLimit;
import io.edgeray.config.PassiveHealth;
import io.edgeray.config.PoolOrigin;
import io.edgeray.config.PoolSpec;
import io.edgeray.config.Steering;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Several proxied A/AAAA records on one name form a pool of their own, named after the name:
 * round robin, every address may be tried once per request, and an address that keeps refusing
 * is ejected like a pool origin. Its port follows the zone's SSL mode and origin ports (port 0).
 */
public final class ImplicitPools {
  private ImplicitPools() {}

  /** The configured pools followed by the implicit ones. */
  public static List<PoolSpec> withConfigured(EdgeConfig config) {
    List<PoolSpec> all = new ArrayList<>(config.pools());
    for (Zone zone : config.zones()) {
      Map<String, List<DnsRecord>> byName = new LinkedHashMap<>();
      for (DnsRecord r : zone.records()) {
        if (r.proxied() && (r.type() == DnsRecord.Type.A || r.type() == DnsRecord.Type.AAAA)) {
          byName.computeIfAbsent(r.name(), n -> new ArrayList<>()).add(r);
        }
      }
      byName.forEach((name, records) -> {
        if (records.size() > 1) all.add(spec(name, records));
      });
    }
    return List.copyOf(all);
  }

  /** The implicit pool's name: {@code records:} and the record name, which no configured pool name can be. */
  static String nameFor(String recordName) {
    return "records:" + recordName;
  }

  private static PoolSpec spec(String name, List<DnsRecord> records) {
    List<PoolOrigin> origins = new ArrayList<>();
    for (DnsRecord r : records) {
      origins.add(new PoolOrigin(r.content(), literal(r.content()), 0, 1, true, -1));
    }
    return new PoolSpec(nameFor(name), List.copyOf(origins), Steering.ROUND_ROBIN, origins.size() - 1, false, 1, null,
        PassiveHealth.DEFAULTS, OverloadLimit.NONE, null);
  }

  private static InetAddress literal(String ip) {
    try {
      return InetAddress.getByName(ip); // checked to be a literal when the config was loaded
    } catch (UnknownHostException e) {
      throw new IllegalStateException("config admitted a non-literal address " + ip, e);
    }
  }
}
