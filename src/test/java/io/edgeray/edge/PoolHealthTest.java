package io.edgeray.edge;

import static io.edgeray.edge.PoolFixtures.ZONE;
import static io.edgeray.edge.PoolFixtures.pools;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgeray.pool.CheckResult;
import io.edgeray.pool.OriginState;
import io.edgeray.pool.OriginStatus;
import io.edgeray.pool.Pool;
import io.edgeray.pool.PoolStatus;
import io.edgeray.pool.StateChange;
import io.edgeray.testing.AccessLog;
import io.edgeray.testing.Await;
import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.Fault;
import io.edgeray.testing.FaultyOrigin;
import io.edgeray.testing.Ports;
import io.edgeray.testing.RawClient;
import io.edgeray.testing.ReceivedRequest;
import io.edgeray.testing.TestPki;
import java.nio.file.Path;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Passive ejection, pool states with the fallback pool, and active monitors with their thresholds. */
class PoolHealthTest {
  @RegisterExtension final EdgeExtension edge = EdgeExtension.create();

  @Test
  void consecutiveConnectFailuresEjectAnOriginUntilTheEjectionTimeIsOverThenItTakesTrafficAgain() throws Exception {
    int portA = Ports.closedPort();
    try (FaultyOrigin b = FaultyOrigin.start()) {
      edge.start("""
            pools:
              - name: web
                passive: { failures: 2, ejection: 600ms, max_ejection: 5s, max_ejected_percent: 50 }
                origins:
                  - { name: a, address: 127.0.0.1, port: %d }
                  - { name: b, address: 127.0.0.1, port: %d }
            """.formatted(portA, b.port()), ZONE);
      List<StateChange> changes = watch(edge);
      OriginState a = origin(edge, "web", "a");
      String deadA = "127.0.0.1:" + portA + "=CONNECTION_REFUSED";
      String okB = "127.0.0.1:" + b.port() + "=ok";
      List<String> rays = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        RawClient.Response r = edge.get("shop.example", "/");
        assertThat(r.status()).isEqualTo(200);
        rays.add(r.header("edge-ray"));
      }
      // a, b, a: the second refusal in a row ejects a
      assertThat(a.status()).isEqualTo(OriginStatus.EJECTED);
      // by ray, in the order sent: the log has them in the order they finished, which a ray
      // finishing just after its response went out can swap with the next
      assertThat(rays.stream().map(edge::logLine).map(AccessLog::attempts).toList())
          .containsExactly(List.of(deadA, okB), List.of(okB), List.of(deadA, okB));
      for (int i = 0; i < 4; i++) assertThat(edge.get("shop.example", "/").status()).isEqualTo(200);
      assertThat(edge.log().lines(7).subList(3, 7).stream().map(AccessLog::attempts).toList())
          .as("an ejected origin gets no traffic").allSatisfy(tries -> assertThat(tries).containsExactly(okB));
      assertThat(pool(edge, "web").status()).isEqualTo(PoolStatus.DEGRADED);

      try (FaultyOrigin aBack = FaultyOrigin.start(Ports.LOOPBACK, portA)) {
        Await.until(Duration.ofSeconds(5), () -> changes.size() == 4, "a re-admitted after its ejection, and the pool healthy");
        assertThat(pool(edge, "web").status()).isEqualTo(PoolStatus.HEALTHY);
        assertThat(a.status()).isEqualTo(OriginStatus.HEALTHY);
        for (int i = 0; i < 4; i++) assertThat(edge.get("shop.example", "/").status()).isEqualTo(200);
        assertThat(aBack.requests()).hasSize(2);
      }
      assertThat(changes).extracting(c -> c.origin() + ":" + c.oldState() + "->" + c.newState()).containsExactly(
          "a:healthy->ejected", "null:healthy->degraded", "a:ejected->healthy", "null:degraded->healthy");
      assertThat(changes.get(0).reason()).isEqualTo("ejected for 600 ms after 2 connect failures in a row");
    }
  }

  @Test
  void atMostTheConfiguredShareOfAPoolIsEjected() throws Exception {
    edge.start("""
            pools:
              - name: web
                retries: 0
                passive: { failures: 1, ejection: 30s, max_ejected_percent: 50 }
                origins:
                  - { name: a, address: 127.0.0.1, port: %d }
                  - { name: b, address: 127.0.0.1, port: %d }
            """.formatted(Ports.closedPort(), Ports.closedPort()), ZONE);
    for (int i = 0; i < 4; i++) assertThat(edge.get("shop.example", "/").status()).isEqualTo(521);
    assertThat(pool(edge, "web").origins()).extracting(OriginState::status)
        .containsExactly(OriginStatus.EJECTED, OriginStatus.HEALTHY);
  }

  @Test
  void trafficLeavesCriticalPoolsInOrderAndTheFallbackPoolTakesItWhenAllAreCritical() throws Exception {
    int primary = Ports.closedPort();
    int backup = Ports.closedPort();
    try (FaultyOrigin sorry = FaultyOrigin.start()) {
      edge.start("""
            pools:
              - name: primary
                retries: 2
                passive: { failures: 1, ejection: 30s, max_ejected_percent: 100 }
                origins: [ { name: p1, address: 127.0.0.1, port: %d } ]
              - name: backup
                passive: { failures: 1, ejection: 30s, max_ejected_percent: 100 }
                origins: [ { name: b1, address: 127.0.0.1, port: %d } ]
              - name: sorry
                origins: [ { name: s1, address: 127.0.0.1, port: %d } ]
            """.formatted(primary, backup, sorry.port()), """
              - name: shop.example
                load_balancers:
                  - { name: "@", pools: [primary, backup], fallback: sorry }
            """);
      List<StateChange> changes = watch(edge);
      RawClient.Response first = edge.get("shop.example", "/");
      assertThat(first.status()).isEqualTo(200);
      assertThat(AccessLog.attempts(edge.logLine(first.header("edge-ray")))).containsExactly(
          "127.0.0.1:" + primary + "=CONNECTION_REFUSED", "127.0.0.1:" + backup + "=CONNECTION_REFUSED",
          "127.0.0.1:" + sorry.port() + "=ok");
      assertThat(pool(edge, "primary").status()).isEqualTo(PoolStatus.CRITICAL);
      assertThat(pool(edge, "backup").status()).isEqualTo(PoolStatus.CRITICAL);
      RawClient.Response second = edge.get("shop.example", "/");
      assertThat(AccessLog.attempts(edge.logLine(second.header("edge-ray")))).containsExactly("127.0.0.1:" + sorry.port() + "=ok");
      assertThat(changes).filteredOn(StateChange::ofPool).extracting(c -> c.pool() + ":" + c.oldState() + "->" + c.newState())
          .containsExactly("primary:healthy->critical", "backup:healthy->critical");
      assertThat(changes.get(1).reason()).isEqualTo("0 of 1 origins available (threshold 1)");
    }
  }

  @Test
  void monitorTakesAnOriginOutAfterConsecutiveDownFailedChecksAndBackAfterConsecutiveUpGoodOnes() throws Exception {
    try (FaultyOrigin a = FaultyOrigin.start(); FaultyOrigin b = FaultyOrigin.start()) {
      edge.start("""
            edge: { egress: [127.0.0.2] }
            pools:
              - name: web
                monitor: { type: http, path: /health, host: health.shop.example, expected_codes: [200], expected_body: '"method"',
                           interval: 100ms, timeout: 1s, retries: 0, consecutive_down: 3, consecutive_up: 2 }
                origins:
                  - { name: a, address: 127.0.0.1, port: %d }
                  - { name: b, address: 127.0.0.1, port: %d }
            """.formatted(a.port(), b.port()), ZONE);
      OriginState stateA = origin(edge, "web", "a");
      List<List<CheckResult>> checksAtChange = new CopyOnWriteArrayList<>();
      List<StateChange> changes = watch(edge);
      edge.node().server().pools().onChange(c -> {
        if ("a".equals(c.origin())) checksAtChange.add(stateA.recentChecks());
      });
      Await.until(Duration.ofSeconds(5), () -> stateA.recentChecks().size() >= 2, "two passing checks of a");
      a.statusCode(503).fault(Fault.STATUS);
      Await.until(Duration.ofSeconds(5), () -> checksAtChange.size() == 1, "a taken out by the monitor");
      assertThat(stateA.status()).isEqualTo(OriginStatus.UNHEALTHY);
      List<CheckResult> down = checksAtChange.get(0);
      assertThat(down.subList(down.size() - 3, down.size())).allSatisfy(c -> {
        assertThat(c.passed()).isFalse();
        assertThat(c.detail()).isEqualTo("status 503, expected [200]");
      });
      assertThat(down.get(down.size() - 4).passed()).as("the check before the three failed ones").isTrue();
      for (int i = 0; i < 3; i++) {
        RawClient.Response r = edge.get("shop.example", "/");
        assertThat(r.status()).isEqualTo(200);
        assertThat(AccessLog.attempts(edge.logLine(r.header("edge-ray")))).containsExactly("127.0.0.1:" + b.port() + "=ok");
      }

      a.fault(Fault.OK);
      Await.until(Duration.ofSeconds(5), () -> checksAtChange.size() == 2, "a back after good checks");
      assertThat(stateA.status()).isEqualTo(OriginStatus.HEALTHY);
      List<CheckResult> up = checksAtChange.get(1);
      assertThat(up.subList(up.size() - 2, up.size())).allSatisfy(c -> assertThat(c.passed()).isTrue());
      assertThat(up.get(up.size() - 3).passed()).isFalse();
      assertThat(changes).filteredOn(c -> "a".equals(c.origin())).extracting(StateChange::reason).containsExactly(
          "health check failed: status 503, expected [200]", "health check passed: status 200");

      ReceivedRequest check = a.requests().stream().filter(r -> r.uri().equals("/health")).findFirst().orElseThrow();
      assertThat(check.method()).isEqualTo("GET");
      assertThat(check.header("Host")).contains("health.shop.example");
      // monitor traffic leaves from the same egress address as visitor traffic
      assertThat(a.requests()).allSatisfy(r -> assertThat(r.remote().getAddress().getHostAddress()).isEqualTo("127.0.0.2"));
      assertThat(b.requests().stream().filter(r -> r.uri().equals("/")).toList())
          .allSatisfy(r -> assertThat(r.remote().getAddress().getHostAddress()).isEqualTo("127.0.0.2"));
    }
  }

  @Test
  void tcpMonitorMarksAnOriginWithNothingListeningUnhealthy() throws Exception {
    int closed = Ports.closedPort();
    try (FaultyOrigin b = FaultyOrigin.start()) {
      edge.start("""
            pools:
              - name: web
                monitor: { type: tcp, interval: 100ms, timeout: 500ms, retries: 1 }
                origins:
                  - { name: a, address: 127.0.0.1, port: %d }
                  - { name: b, address: 127.0.0.1, port: %d }
            """.formatted(closed, b.port()), ZONE);
      OriginState a = origin(edge, "web", "a");
      Await.until(Duration.ofSeconds(5), () -> a.status() == OriginStatus.UNHEALTHY, "a unhealthy");
      assertThat(a.recentChecks().get(0).detail()).startsWith("connect failed: ").contains("Connection refused");
      assertThat(origin(edge, "web", "b").status()).isEqualTo(OriginStatus.HEALTHY);
      assertThat(origin(edge, "web", "b").recentChecks()).allSatisfy(c -> assertThat(c.detail()).isEqualTo("connected"));
    }
  }

  @Test
  void httpsMonitorChecksOverTlsWithoutCaringForTheCertificate() throws Exception {
    TestPki pki = new TestPki(Files.createTempDirectory("pool-health-pki"));
    try (FaultyOrigin https = FaultyOrigin.startTls(pki, Fault.SELF_SIGNED_CERTIFICATE, "origin.test")) {
      edge.start("""
            pools:
              - name: web
                monitor: { type: https, path: /ready, host: origin.test, expected_body: '"path":"/ready"', interval: 100ms,
                           timeout: 2s, retries: 0, consecutive_down: 1 }
                origins:
                  - { name: a, address: 127.0.0.1, port: %d }
            """.formatted(https.port()), ZONE);
      OriginState a = origin(edge, "web", "a");
      Await.until(Duration.ofSeconds(5), () -> a.recentChecks().size() >= 2, "two checks");
      assertThat(a.recentChecks()).allSatisfy(c -> {
        assertThat(c.passed()).isTrue();
        assertThat(c.detail()).isEqualTo("status 200");
      });
      assertThat(https.requests()).extracting(r -> r.header("Host").orElse(null)).contains("origin.test");
      assertThat(a.status()).isEqualTo(OriginStatus.HEALTHY);
    }
  }

  @Test
  void aReloadWithAnUnknownPoolNamesItsLineAndKeepsThePoolsServing() throws Exception {
    try (FaultyOrigin b = FaultyOrigin.start()) {
      edge.start(pools(b.port(), b.port(), ""), ZONE);
      Path file = edge.configFile();
      java.nio.file.Files.writeString(file, java.nio.file.Files.readString(file).replace("pool: web", "pool: wbe"));
      assertThat(edge.node().reload()).isEqualTo(file + ":13: zones[0].load_balancers[0].pool: no pool named wbe (defined: web)");
      assertThat(edge.get("shop.example", "/").status()).isEqualTo(200);
    }
  }

  @Test
  void reloadKeepsTheHealthOfUnchangedOrigins() throws Exception {
    int portA = Ports.closedPort();
    try (FaultyOrigin b = FaultyOrigin.start()) {
      edge.start("""
            pools:
              - name: web
                passive: { failures: 1, ejection: 60s }
                origins:
                  - { name: a, address: 127.0.0.1, port: %d }
                  - { name: b, address: 127.0.0.1, port: %d }
            """.formatted(portA, b.port()), ZONE);
      assertThat(edge.get("shop.example", "/").status()).isEqualTo(200);
      assertThat(origin(edge, "web", "a").status()).isEqualTo(OriginStatus.EJECTED);
      Path file = edge.configFile();
      java.nio.file.Files.writeString(file, java.nio.file.Files.readString(file).replace(
          "    passive: { failures: 1, ejection: 60s }\n", "    passive: { failures: 1, ejection: 60s }\n    steering: least_outstanding\n"));
      assertThat(edge.node().reload()).isNull();
      assertThat(pool(edge, "web").spec().steering().configName()).isEqualTo("least_outstanding");
      assertThat(origin(edge, "web", "a").status()).isEqualTo(OriginStatus.EJECTED);
    }
  }

  static Pool pool(EdgeExtension edge, String name) {
    return edge.node().server().pools().pool(name);
  }

  static OriginState origin(EdgeExtension edge, String pool, String name) {
    return pool(edge, pool).origins().stream().filter(o -> o.origin().name().equals(name)).findFirst().orElseThrow();
  }

  static List<StateChange> watch(EdgeExtension edge) {
    List<StateChange> changes = new CopyOnWriteArrayList<>();
    edge.node().server().pools().onChange(changes::add);
    return changes;
  }

}
