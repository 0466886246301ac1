package io.edgeray.security;

import io.edgeray.testing.TestClock;
import io.edgeray.config.ConfigException;
import io.edgeray.config.load.ConfigLoader;
import io.edgeray.config.EdgeConfig;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** Policies built the way the edge builds them: from a config text, on a runtime with a test clock. */
final class Policies {
  final TestClock clock = new TestClock();
  final PrometheusRegistry registry = new PrometheusRegistry();
  final SecurityRuntime runtime;

  Policies() {
    this(LocalRateCounterStore.DEFAULT_MAX_COUNTERS);
  }

  Policies(int maxCounters) {
    runtime = new SecurityRuntime(clock, new LocalRateCounterStore(maxCounters, clock), new SecurityEventLog(),
        new SecurityMetrics(registry));
  }

  /** A config with one zone, shop.example (origin 192.0.2.10), whose zone body ends with {@code zoneTail}. */
  static String config(String topTail, String zoneTail) {
    return """
        node: AMS
        listen: { http: 127.0.0.1:8080 }
        """ + topTail + """
        zones:
          - name: shop.example
            records:
              - { type: A, name: "@", content: 192.0.2.10, proxied: true }
        """ + zoneTail.indent(4);
  }

  static EdgeConfig load(String yaml) throws ConfigException {
    return ConfigLoader.parse("edgeray.yaml", yaml);
  }

  SecurityPolicy zone(String zoneTail) throws ConfigException {
    return SecurityPolicy.build(load(config("", zoneTail)), runtime);
  }

  SecurityPolicy build(String topTail, String zoneTail) throws ConfigException {
    return SecurityPolicy.build(load(config(topTail, zoneTail)), runtime);
  }
}
