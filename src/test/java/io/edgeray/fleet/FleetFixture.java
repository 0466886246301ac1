package io.edgeray.fleet;

import io.edgeray.testing.EdgeExtension;
import java.io.IOException;
import java.net.URI;
import java.util.List;

/** What the fleet tests share: node files, the fleet's config texts, and admin requests. */
final class FleetFixture {
  private FleetFixture() {}

  /** A node's own part: admin on a free port and the fleet section (the zones come from etcd). */
  static String nodeYaml(String etcdUrl, String prefix, String location, String more) {
    return "admin: 127.0.0.1:0\n"
        + "fleet: { etcd: [" + etcdUrl + "], prefix: " + prefix + ", location: \"" + location + "\"" + more + " }\n";
  }

  /** The fleet's part: one zone whose origin is {@code originPort}, with the records {@code names}. */
  static String shared(int originPort, List<String> names, String zoneSettings) {
    StringBuilder b = new StringBuilder("zones:\n  - name: shop.test\n    origin_ports: { http: " + originPort + " }\n");
    zoneSettings.lines().forEach(l -> b.append("    ").append(l).append('\n'));
    b.append("    records:\n");
    for (String n : names) b.append("      - { type: A, name: \"").append(n).append("\", content: 127.0.0.1, proxied: true }\n");
    return b.toString();
  }

  static long write(EtcdHandle etcd, String prefix, String sharedYaml) throws Exception {
    try (FleetConfigStore store = new FleetConfigStore(List.of(URI.create(etcd.url())), prefix)) {
      return store.write(sharedYaml);
    }
  }

  /** The test's etcd, by URL only, so FleetFixture does not care how it runs. */
  interface EtcdHandle {
    String url();
  }

  static int status(EdgeExtension edge, String host) {
    try {
      return edge.get(host, "/").status();
    } catch (IOException e) {
      return -1;
    }
  }
}
