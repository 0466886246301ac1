package io.edgeray.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.Fault;
import io.edgeray.testing.FaultyOrigin;
import io.edgeray.testing.FullBacklogListener;
import io.edgeray.testing.Ports;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The doctor's verdicts for failures made for real on 127.0.0.1: each scenario builds the
 * situation, runs the doctor against a real edge where that matters, and checks the top cause.
 */
class LoopbackScenariosTest {
  @RegisterExtension final EdgeExtension edge = EdgeExtension.create().node("DOC");
  @TempDir Path dir;

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void stoppedWebServerIsDiagnosedAsDownWithTheEdgesRayIdAndExitCode1() throws Exception {
    int http = Ports.closedPort();
    int https = Ports.closedPort();
    try (DoctorScenario s = DoctorScenario.of(edge, dir, zone(http, https, "127.0.0.1", "")).withEdge()) {
      Report r = s.examine("http://shop.example/");

      assertThat(r.verdict().cause()).isEqualTo(Cause.WEB_SERVER_DOWN);
      assertThat(r.verdict().confidence()).isEqualTo(Confidence.HIGH);
      assertThat(r.verdict().evidence()).isEqualTo("nothing on this machine listens on port " + http
          + " and 127.0.0.1 port " + http + " is refused");
      assertThat(r.exitCode()).isEqualTo(1);
      CheckResult edge = check(r, "edge");
      assertThat(edge.outcome()).isEqualTo(Outcome.PROBLEM);
      assertThat(edge.summary()).startsWith("521 Web server is down (CONNECTION_REFUSED), ray ");
      assertThat(r.rays()).hasSize(1);
      assertThat(r.rays().get(0)).matches("[0-9a-f]{16}-DOC");
      assertThat(edge.summary()).endsWith(r.rays().get(0));
      assertThat(check(r, "direct").summary()).isEqualTo("http port " + http + ": TCP refused (521)");
      assertThat(check(r, "listeners").summary()).isEqualTo("nothing listens on port " + http);
      assertThat(SupportMessage.render(r)).contains("Visitors get 521.").contains(r.rays().get(0));
    }
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void healthyOriginGivesExitCode0AndPassesEveryCheckThatRan() throws Exception {
    try (FaultyOrigin origin = FaultyOrigin.start(Fault.OK);
        DoctorScenario s = DoctorScenario.of(edge, dir, zone(origin.port(), Ports.closedPort(), "127.0.0.1", "")).withEdge()) {
      Report r = s.examine("http://shop.example/");

      assertThat(r.verdict().cause()).isEqualTo(Cause.HEALTHY);
      assertThat(r.exitCode()).isZero();
      assertThat(check(r, "edge").outcome()).isEqualTo(Outcome.PASSED);
      assertThat(check(r, "edge").summary()).startsWith("200 in ");
      assertThat(check(r, "direct").outcome()).isEqualTo(Outcome.PASSED);
      assertThat(check(r, "direct").summary()).startsWith("http 200 from 127.0.0.1 in ");
      assertThat(check(r, "listeners").summary()).isEqualTo("port " + origin.port() + " listens on [127.0.0.1:" + origin.port() + "]");
    }
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void recordPointingAtAnAddressWhereNothingAnswersWhileTheZonesOtherRecordDoesIsAWrongRecord() throws Exception {
    try (FaultyOrigin origin = FaultyOrigin.start(Fault.OK);
        DoctorScenario s = DoctorScenario.of(edge, dir, zone(origin.port(), Ports.closedPort(), "127.0.0.1",
            "      - { type: A, name: www, content: 127.0.0.9, proxied: true }\n"))) {
      Report r = s.examine("http://www.shop.example/");

      assertThat(r.verdict().cause()).isEqualTo(Cause.RECORD_WRONG_ADDRESS);
      assertThat(r.verdict().evidence()).isEqualTo("127.0.0.9 port " + origin.port() + " is refused, while 127.0.0.1,"
          + " where another record of the zone points, accepts on the same port");
      assertThat(check(r, "edge").outcome()).isEqualTo(Outcome.SKIPPED);
      assertThat(r.exitCode()).isEqualTo(1);
    }
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void fullAcceptQueueIsAnOverloadedOriginAnd522ThroughTheEdge() throws Exception {
    try (FullBacklogListener full = FullBacklogListener.open();
        DoctorScenario s = DoctorScenario.of(edge, dir, zone(full.port(), Ports.closedPort(), "127.0.0.1", "")
            .replace("connect: 5s", "connect: 1s")).withEdge()) {
      Report r = s.examine("http://shop.example/");

      assertThat(r.verdict().cause()).isEqualTo(Cause.ORIGIN_OVERLOADED);
      assertThat(r.verdict().evidence()).isEqualTo(full.queuedConnections() + " connections wait unaccepted in the accept queue of 127.0.0.1:"
          + full.port() + " and a new connect timed out: the queue is full");
      assertThat(check(r, "edge").summary()).startsWith("522 Connection timed out (CONNECT_TIMEOUT), ray ");
      assertThat(check(r, "direct").summary()).isEqualTo("http port " + full.port() + ": TCP timed out (522)");
      assertThat(r.millis()).isLessThan(5000);
    }
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void flexibleModeWithNothingOnTheHttpPortIsAnSslModeMismatch() throws Exception {
    int http = Ports.closedPort();
    try (FaultyOrigin tlsPort = FaultyOrigin.start(Fault.OK);
        DoctorScenario s = DoctorScenario.of(edge, dir, zone(http, tlsPort.port(), "127.0.0.1", "").replace(
            "    records:", "    ssl: flexible\n    records:"))) {
      Report r = s.examine("https://shop.example/");

      assertThat(r.verdict().cause()).isEqualTo(Cause.SSL_MODE_PORT);
      assertThat(r.verdict().evidence()).isEqualTo("ssl mode flexible connects to http port " + http
          + ", which is refused, while https port " + tlsPort.port() + " accepts: use ssl full (or full_strict)");
      assertThat(r.verdict().cause().symptom()).isEqualTo("521");
    }
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void aHostNoZoneCoversIsNotServedAndNothingIsProbed() throws Exception {
    try (DoctorScenario s = DoctorScenario.of(edge, dir, zone(Ports.closedPort(), Ports.closedPort(), "127.0.0.1", ""))) {
      Report r = s.examine("blog.example");

      assertThat(r.verdict().cause()).isEqualTo(Cause.HOST_NOT_SERVED);
      assertThat(r.verdict().evidence()).isEqualTo("no zone on this edge covers blog.example");
      assertThat(r.checks()).extracting(CheckResult::id).containsExactly("records", "edge", "history");
    }
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void aRecordPointingAtTheEdgesOwnAddressIsALoop() throws Exception {
    try (DoctorScenario s = DoctorScenario.of(edge, dir, zone(Ports.closedPort(), Ports.closedPort(), "127.0.0.50", ""))
        .with("edge: { addresses: [127.0.0.50] }")) {
      Report r = s.examine("shop.example");

      assertThat(r.verdict().cause()).isEqualTo(Cause.ROUTING_LOOP);
      assertThat(r.verdict().evidence()).isEqualTo("shop.example points at 127.0.0.50, an address of this edge: requests would loop");
      assertThat(r.verdict().cause().symptom()).isEqualTo("403 (1000)");
    }
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void anOriginThatReadsTheRequestAndNeverAnswersIsSlow() throws Exception {
    try (FaultyOrigin origin = FaultyOrigin.start(Fault.NEVER_ANSWER);
        DoctorScenario s = DoctorScenario.of(edge, dir, zone(origin.port(), Ports.closedPort(), "127.0.0.1", ""))) {
      Report r = s.examine("http://shop.example/");

      assertThat(r.verdict().cause()).isEqualTo(Cause.ORIGIN_SLOW);
      assertThat(r.verdict().evidence()).isEqualTo("no response from the origin within the read timeout (the doctor waits"
          + " its probe timeout, --timeout; the edge waits the zone's read timeout, 5000 ms)");
      // the doctor's few seconds are not the edge's read timeout: likely, not certain
      assertThat(r.verdict().confidence()).isEqualTo(Confidence.MEDIUM);
      assertThat(check(r, "direct").summary()).isEqualTo("http port " + origin.port()
          + ": RESPONSE_TIMEOUT (524): no response from the origin within the read timeout");
    }
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void anOriginThatAnswersGarbageIs520() throws Exception {
    try (FaultyOrigin origin = FaultyOrigin.start(Fault.GARBAGE_HEAD);
        DoctorScenario s = DoctorScenario.of(edge, dir, zone(origin.port(), Ports.closedPort(), "127.0.0.1", ""))) {
      Report r = s.examine("http://shop.example/");

      assertThat(r.verdict().cause()).isEqualTo(Cause.ORIGIN_BAD_ANSWER);
      assertThat(r.verdict().evidence()).startsWith("origin sent a malformed response: ");
    }
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void severalRecordsOnOneNameAreProbedAsAPoolAndTheOneThatRefusesIsNamed() throws Exception {
    try (FaultyOrigin origin = FaultyOrigin.start(Fault.OK);
        DoctorScenario s = DoctorScenario.of(edge, dir, zone(origin.port(), Ports.closedPort(), "127.0.0.1",
            "      - { type: A, name: \"@\", content: 127.0.0.3, proxied: true }\n")).withEdge()) {
      Report r = s.examine("http://shop.example/");

      CheckResult records = check(r, "records");
      assertThat(records.summary()).isEqualTo("shop.example is served by zone shop.example; origin [127.0.0.1, 127.0.0.3] port "
          + origin.port());
      assertThat(records.evidence()).contains("served by pools [records:shop.example]",
          "pool records:shop.example, origin 127.0.0.3: 127.0.0.3 port " + origin.port());
      assertThat(check(r, "edge").summary()).startsWith("200 in ");
      // the edge fails over, so the visitor saw 200, but one of the two records leads nowhere: not healthy; and as
      // both addresses are this machine's, its listener table shows the web server runs, only not on 127.0.0.3
      assertThat(r.verdict().cause()).isEqualTo(Cause.RECORD_WRONG_ADDRESS);
      assertThat(r.verdict().confidence()).isEqualTo(Confidence.MEDIUM);
      assertThat(r.verdict().evidence()).isEqualTo("127.0.0.3 port " + origin.port()
          + " is refused, while 127.0.0.1 accepts; the web server on this machine listens on [127.0.0.1:" + origin.port()
          + "], not on 127.0.0.3: one of the host's records points where it does not listen");
      assertThat(r.exitCode()).isEqualTo(1);
    }
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void aLoadBalancedHostWhosePoolOriginIsStoppedIsDiagnosedAsDown() throws Exception {
    int http = Ports.closedPort();
    String zones = """
          - name: shop.example
            origin_ports: { http: %d, https: %d }
            timeouts: { connect: 5s, read: 5s, write: 5s }
            load_balancers:
              - { name: "@", pool: web }
        """.formatted(http, Ports.closedPort());
    try (DoctorScenario s = DoctorScenario.of(edge, dir, zones).with("""
        pools:
          - name: web
            origins:
              - { name: a, address: 127.0.0.1, port: %d }
              - { name: off, address: 127.0.0.4, port: %d, enabled: false }
        """.formatted(http, http)).withEdge()) {
      Report r = s.examine("http://shop.example/");

      assertThat(r.verdict().cause()).isEqualTo(Cause.WEB_SERVER_DOWN);
      assertThat(check(r, "records").evidence()).contains("served by pools [web]",
          "pool web, origin a: 127.0.0.1 port " + http, "pool web, origin off: 127.0.0.4 port " + http + " (disabled: not probed)");
      assertThat(check(r, "direct").summary()).isEqualTo("http port " + http + ": TCP refused (521)");
      assertThat(r.exitCode()).isEqualTo(1);
    }
  }

  static String zone(int http, int https, String address, String moreRecords) {
    return "  - name: shop.example\n"
        + "    origin_ports: { http: " + http + ", https: " + https + " }\n"
        + "    timeouts: { connect: 5s, read: 5s, write: 5s }\n"
        + "    records:\n"
        + "      - { type: A, name: \"@\", content: " + address + ", proxied: true }\n"
        + moreRecords;
  }

  static CheckResult check(Report r, String id) {
    return r.checks().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
  }
}
