package io.edgeray.config;

import io.edgeray.config.load.ConfigLoader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeray.config.LoadBalancer;
import io.edgeray.config.MonitorSpec;
import io.edgeray.config.OverloadLimit;
import io.edgeray.config.PassiveHealth;
import io.edgeray.config.PoolSpec;
import io.edgeray.config.Steering;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pools: list and a zone's load_balancers:, with every default and every error naming its line. */
class PoolConfigTest {
  private static final String HEAD = """
      node: AMS
      listen: { http: 127.0.0.1:8080 }
      """;

  private static final String FULL = HEAD + """
      pools:
        - name: web
          steering: least_outstanding
          retries: 2
          retry_idempotent: true
          health_threshold: 2
          max_connections: 100
          queue: 50
          queue_timeout: 2s
          notify: http://127.0.0.1:9000/hook
          monitor: { type: https, path: /health, method: HEAD, host: shop.example, expected_codes: [2xx, 304],
                     expected_body: ok, interval: 10s, timeout: 2s, retries: 1, consecutive_up: 3, consecutive_down: 2 }
          passive: { failures: 5, ejection: 10s, max_ejection: 1m, max_ejected_percent: 30 }
          origins:
            - { name: a, address: 10.0.0.1, port: 8080, weight: 3 }
            - { name: b, address: "2001:db8::1", port: 8080, enabled: false, max_connections: 7 }
        - name: sorry
          origins: [ { name: s, address: 127.0.0.1, port: 8000 } ]
      zones:
        - name: shop.example
          load_balancers:
            - { name: "@", pools: [web], fallback: sorry }
            - { name: api, pool: sorry }
      """;

  @Test
  void everyPoolKeyIsRead() throws Exception {
    EdgeConfig c = ConfigLoader.parse("edge.yaml", FULL);
    PoolSpec web = c.pools().get(0);
    assertThat(web.name()).isEqualTo("web");
    assertThat(web.steering()).isEqualTo(Steering.LEAST_OUTSTANDING);
    assertThat(web.retries()).isEqualTo(2);
    assertThat(web.retryIdempotent()).isTrue();
    assertThat(web.healthThreshold()).isEqualTo(2);
    assertThat(web.limit()).isEqualTo(new OverloadLimit(100, 50, Duration.ofSeconds(2)));
    assertThat(web.webhook()).isEqualTo(URI.create("http://127.0.0.1:9000/hook"));
    MonitorSpec m = web.monitor();
    assertThat(m.type()).isEqualTo(MonitorSpec.Type.HTTPS);
    assertThat(m.path()).isEqualTo("/health");
    assertThat(m.method()).isEqualTo("HEAD");
    assertThat(m.host()).isEqualTo("shop.example");
    assertThat(m.expectedCodes()).hasSize(101).contains(200, 299, 304).doesNotContain(300);
    assertThat(m.expectedBody()).isEqualTo("ok");
    assertThat(List.of(m.interval(), m.timeout())).containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(2));
    assertThat(List.of(m.retries(), m.consecutiveUp(), m.consecutiveDown())).containsExactly(1, 3, 2);
    assertThat(web.passive()).isEqualTo(new PassiveHealth(5, Duration.ofSeconds(10), Duration.ofMinutes(1), 30));
    assertThat(web.origins()).extracting(o -> o.name() + " " + o.hostPort() + " w" + o.weight() + " " + o.enabled())
        .containsExactly("a 10.0.0.1:8080 w3 true", "b [2001:db8:0:0:0:0:0:1]:8080 w1 false");
    assertThat(web.origins().get(0).limitWithin(web.limit())).isEqualTo(new OverloadLimit(100, 50, Duration.ofSeconds(2)));
    assertThat(web.origins().get(1).limitWithin(web.limit())).isEqualTo(new OverloadLimit(7, 50, Duration.ofSeconds(2)));
    assertThat(c.zones().get(0).loadBalancers()).containsExactly(
        new LoadBalancer("shop.example", List.of("web"), "sorry"), new LoadBalancer("api.shop.example", List.of("sorry"), null));
  }

  @Test
  void aPoolWithOnlyOriginsGetsTheDefaults() throws Exception {
    PoolSpec sorry = ConfigLoader.parse("edge.yaml", FULL).pools().get(1);
    assertThat(sorry.steering()).isEqualTo(Steering.ROUND_ROBIN);
    assertThat(sorry.retries()).isEqualTo(1);
    assertThat(sorry.retryIdempotent()).isFalse();
    assertThat(sorry.healthThreshold()).isEqualTo(1);
    assertThat(sorry.monitor()).isNull();
    assertThat(sorry.passive()).isEqualTo(PassiveHealth.DEFAULTS);
    assertThat(sorry.limit().limited()).isFalse();
    assertThat(sorry.webhook()).isNull();
    MonitorSpec m = ConfigLoader.parse("edge.yaml", HEAD + """
        pools:
          - name: p
            monitor: {}
            origins: [ { name: s, address: 127.0.0.1, port: 8000 } ]
        zones: []
        """).pools().get(0).monitor();
    assertThat(m).isEqualTo(new MonitorSpec(MonitorSpec.Type.HTTP, "/", "GET", null, List.of(200), null,
        Duration.ofSeconds(60), Duration.ofSeconds(5), 2, 1, 1));
  }

  @Test
  void aLoadBalancerNamingAnUndefinedPoolIsAnErrorOnItsLine() {
    assertThatThrownBy(() -> ConfigLoader.parse("edge.yaml", FULL.replace("pools: [web]", "pools: [web, wbe]")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("edge.yaml:24: zones[0].load_balancers[0].pools[1]: no pool named wbe (defined: web, sorry)");
  }

  @Test
  void mistakesInAPoolNameTheirLineAndKey() {
    assertError(FULL.replace("steering: least_outstanding", "steering: fastest"),
        "edge.yaml:5: pools[0].steering: \"fastest\" is not a steering (round_robin, weighted, least_outstanding, cookie or ip_hash)");
    assertError(FULL.replace("address: 10.0.0.1", "address: origin.example"),
        "edge.yaml:17: pools[0].origins[0].address: \"origin.example\" is not an IP address (a pool origin is an address, as an A or AAAA record is)");
    assertError(FULL.replace("name: b,", "name: a,"), "edge.yaml:18: pools[0].origins[1]: origin a is already defined on line 17");
    assertError(FULL.replace("- name: sorry", "- name: web"), "edge.yaml:19: pools[1]: pool web is already defined on line 4");
    assertError(FULL.replace("health_threshold: 2", "health_threshold: 3"),
        "edge.yaml:8: pools[0].health_threshold: 3 is more than the pool's 2 origins: it would always be critical");
    assertError(FULL.replace("type: https", "type: icmp"), "edge.yaml:13: pools[0].monitor.type: \"icmp\" is not a monitor type (http, https or tcp)");
    assertError(FULL.replace("max_ejection: 1m", "max_ejection: 1s"), "edge.yaml:15: pools[0].passive.max_ejection: is shorter than ejection (10000 ms)");
    assertError(FULL.replace("notify: http://127.0.0.1:9000/hook", "notify: ftp://x/hook"),
        "edge.yaml:12: pools[0].notify: \"ftp://x/hook\" is not an http:// or https:// URL");
    assertError(FULL.replace("queue: 50", "qeue: 50"), "edge.yaml:10: pools[0].qeue: unknown key (known here: name, origins, steering, retries, "
        + "retry_idempotent, health_threshold, monitor, passive, max_connections, queue, queue_timeout, notify, health_quorum)");
    assertError(FULL.replace("{ name: api, pool: sorry }", "{ name: api, pool: sorry, pools: [web] }"),
        "edge.yaml:25: zones[0].load_balancers[1]: give either pool: NAME or pools: [NAME, ...]");
  }

  @Test
  void healthQuorumIsAWholeNumberOfNodesAndNeedsAMonitor() throws Exception {
    assertThat(ConfigLoader.parse("edge.yaml", FULL.replace("health_threshold: 2", "health_threshold: 2\n    health_quorum: 2"))
        .pools().get(0).healthQuorum()).isEqualTo(2);
    assertThat(ConfigLoader.parse("edge.yaml", FULL).pools().get(0).healthQuorum()).as("not set: each node decides alone").isZero();
    assertError(FULL.replace("health_threshold: 2", "health_threshold: 2\n    health_quorum: 0"),
        "edge.yaml:9: pools[0].health_quorum: 0 is out of range 1..1000");
    assertError(FULL.replace("origins: [ { name: s,", "health_quorum: 2\n    origins: [ { name: s,"),
        "edge.yaml:20: pools[1].health_quorum: health_quorum counts the nodes whose health checks see an origin unhealthy:"
            + " the pool needs a monitor");
  }

  private static void assertError(String yaml, String message) {
    assertThatThrownBy(() -> ConfigLoader.parse("edge.yaml", yaml)).isInstanceOf(ConfigException.class).hasMessage(message);
  }
}
