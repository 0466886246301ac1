package io.edgeray.doctor;

import static io.edgeray.doctor.DiagnosisWorld.ip;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgeray.doctor.DiagnosisWorld.App;
import io.edgeray.doctor.DiagnosisWorld.Firewall;
import io.edgeray.doctor.DiagnosisWorld.Listeners;
import io.edgeray.doctor.DiagnosisWorld.Remote;
import io.edgeray.doctor.DiagnosisWorld.Tls;
import io.edgeray.config.SslMode;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Evidence to verdict, one row per row of the verdict table in docs/doctor.md (and the defects of
 * issue 16): each row sets up a world, the checks' own judges turn it into evidence, and the
 * diagnosis must name the documented cause, with its confidence and evidence, and must not be
 * refuted by any check of the same report.
 */
class DiagnosisVerdictTableTest {
  private static final String REMOTE = "192.0.2.10";

  static Stream<Arguments> table() {
    return Stream.of(
        row("530 (1001) host not served", w -> w.blockedBy = Cause.HOST_NOT_SERVED,
            Cause.HOST_NOT_SERVED, Confidence.HIGH, "blocked: host_not_served"),
        row("403 (1000) record points at the edge itself", w -> w.blockedBy = Cause.ROUTING_LOOP,
            Cause.ROUTING_LOOP, Confidence.HIGH, "blocked: routing_loop"),
        row("403 (1000) the origin port leads back to the edge: its answer carries the edge's own Edge-Ray (issue 16)",
            w -> w.app = App.LOOPS_TO_EDGE,
            Cause.ROUTING_LOOP, Confidence.HIGH, "127.0.0.6 port 8080 answered as this edge itself (Edge-Ray 0123456789abcdef-DOC):"
                + " the origin port 8080 leads back to the edge"),
        row("530 (1016) CNAME target does not resolve", w -> w.blockedBy = Cause.ORIGIN_NAME_UNRESOLVABLE,
            Cause.ORIGIN_NAME_UNRESOLVABLE, Confidence.HIGH, "blocked: origin_name_unresolvable"),
        row("521 firewall rejects the edge's egress address only", w -> w.firewall = Firewall.REJECT_EDGE,
            Cause.FIREWALL_BLOCKS_EDGE, Confidence.HIGH, "a connect from the edge's egress address 127.0.0.2 is refused while one"
                + " from 127.0.0.1 is accepted"),
        row("522 firewall drops the edge's egress address only", w -> w.firewall = Firewall.DROP_EDGE,
            Cause.FIREWALL_BLOCKS_EDGE, Confidence.HIGH, "a connect from the edge's egress address 127.0.0.2 is timed out while one"
                + " from 127.0.0.1 is accepted"),
        row("521 a socket listens where the record points and still the connect is refused: a firewall rejects everyone",
            w -> w.firewall = Firewall.REJECT_ALL,
            Cause.FIREWALL_BLOCKS_EDGE, Confidence.MEDIUM, "port 8080 listens on [127.0.0.6:8080], which takes 127.0.0.6, yet the"
                + " connect is refused: a firewall rule rejects connections to the port"),
        row("521 ssl mode flexible with nothing on port 80 while 443 listens",
            w -> {
              w.mode = SslMode.FLEXIBLE;
              w.visitorHttps = true;
              w.addresses = List.of(ip(REMOTE));
              w.remote = Remote.DOWN;
              w.remoteOtherPortUp = true;
            },
            Cause.SSL_MODE_PORT, Confidence.HIGH, "ssl mode flexible connects to http port 8080, which is refused, while https port"
                + " 8443 accepts: use ssl full (or full_strict)"),
        row("521 record points at the wrong address: another record of the zone answers",
            w -> {
              w.addresses = List.of(ip(REMOTE));
              w.remote = Remote.DOWN;
              w.siblings = List.of(ip("127.0.0.9"));
              w.listeners = Listeners.WILDCARD;
            },
            Cause.RECORD_WRONG_ADDRESS, Confidence.HIGH, "192.0.2.10 port 8080 is refused, while 127.0.0.9, where another record"
                + " of the zone points, accepts on the same port"),
        row("521 record points at a neighbouring address of the listener (issue 16: was web_server_down)",
            w -> {
              w.addresses = List.of(ip("127.0.0.6"));
              w.listeners = Listeners.NEIGHBOUR_127_0_0_5;
            },
            Cause.RECORD_WRONG_ADDRESS, Confidence.HIGH, "the record points at 127.0.0.6, where port 8080 is refused, while the web"
                + " server on this machine listens on [127.0.0.5:8080]"),
        row("521 web server listens only on loopback",
            w -> {
              w.addresses = List.of(DiagnosisWorld.PUBLIC_LOCAL);
              w.listeners = Listeners.LOOPBACK_127_0_0_1;
            },
            Cause.LISTENS_ON_LOOPBACK_ONLY, Confidence.HIGH, "port 8080 listens only on [127.0.0.1:8080]; the record points at"
                + " 10.200.0.1, where the connect is refused"),
        row("521 web server down: nothing on this machine listens", w -> w.listeners = Listeners.NONE,
            Cause.WEB_SERVER_DOWN, Confidence.HIGH, "nothing on this machine listens on port 8080 and 127.0.0.6 port 8080 is refused"),
        row("521 web server down on another machine: refused, no listener table to read",
            w -> {
              w.addresses = List.of(ip(REMOTE));
              w.remote = Remote.DOWN;
            },
            Cause.WEB_SERVER_DOWN, Confidence.MEDIUM, "192.0.2.10 port 8080 refused the connection (nothing listens there, or a"
                + " firewall rejects)"),
        row("522 accept queue full: overloaded", w -> w.queueFull = true,
            Cause.ORIGIN_OVERLOADED, Confidence.HIGH, "2 connections wait unaccepted in the accept queue of 127.0.0.6:8080 and a new"
                + " connect timed out: the queue is full"),
        row("522 no answer to the handshake",
            w -> {
              w.addresses = List.of(ip(REMOTE));
              w.remote = Remote.BLACK_HOLE;
            },
            Cause.ORIGIN_NOT_ANSWERING, Confidence.MEDIUM, "192.0.2.10 port 8080: no answer to the TCP handshake in 3000 ms"),
        row("523 no route",
            w -> {
              w.addresses = List.of(ip(REMOTE));
              w.remote = Remote.NO_ROUTE;
            },
            Cause.ORIGIN_UNREACHABLE, Confidence.MEDIUM, "192.0.2.10 port 8080: Origin is unreachable: /192.0.2.10:8080"),
        row("526 certificate invalid for full_strict",
            w -> {
              w.mode = SslMode.FULL_STRICT;
              w.visitorHttps = true;
              w.tls = Tls.INVALID_CERTIFICATE;
            },
            Cause.TLS_CERTIFICATE_INVALID, Confidence.HIGH, "expired certificate: ssl mode full_strict fails with 526"),
        row("525 TLS handshake fails",
            w -> {
              w.mode = SslMode.FULL;
              w.visitorHttps = true;
              w.tls = Tls.NO_TLS;
            },
            Cause.TLS_HANDSHAKE_FAILED, Confidence.HIGH, "not an SSL/TLS record"),
        row("524 origin too slow", w -> w.app = App.SLOW,
            Cause.ORIGIN_SLOW, Confidence.MEDIUM, "no response from the origin within the read timeout (the doctor waits its probe"
                + " timeout, --timeout; the edge waits the zone's read timeout, 5000 ms)"),
        row("520 origin answers garbage", w -> w.app = App.GARBAGE,
            Cause.ORIGIN_BAD_ANSWER, Confidence.HIGH, "origin sent a malformed response: garbage"),
        row("5xx origin's own server error", w -> w.app = App.ERROR_503,
            Cause.ORIGIN_ERROR_STATUS, Confidence.MEDIUM, "the origin answered 503"),
        row("52x the edge fails while a direct probe succeeds", w -> w.edgeOnlyTrouble = true,
            Cause.EDGE_ONLY_FAILURE, Confidence.MEDIUM, "the edge answered 522 (CONNECT_TIMEOUT, ray fedcba9876543210-DOC) while the"
                + " direct probe succeeded"),
        row("healthy: the origin answers directly and through the edge", w -> {},
            Cause.HEALTHY, Confidence.HIGH, "the origin answered 200; the edge answered 200"),
        row("healthy as far as seen: the edge is not running", w -> w.edgeRuns = false,
            Cause.HEALTHY, Confidence.MEDIUM, "the origin answered 200; the edge itself was not checked (nothing answers on the"
                + " edge's listener 127.0.0.1:18181 (TCP refused): is the edge running?)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void eachRowOfTheVerdictTableIsDiagnosedAsDocumentedAndNoCheckRefutesIt(String row, Consumer<DiagnosisWorld> setUp, Cause cause,
      Confidence confidence, String evidence) {
    DiagnosisWorld w = new DiagnosisWorld();
    setUp.accept(w);
    Evidence e = w.evidence();

    Finding verdict = Diagnosis.diagnose(e).get(0);

    assertThat(verdict.cause()).as(row + Refutations.describe(e)).isEqualTo(cause);
    assertThat(verdict.confidence()).as(row).isEqualTo(confidence);
    assertThat(verdict.evidence()).as(row).isEqualTo(evidence);
    assertThat(Refutations.of(e, verdict.cause())).as(row + Refutations.describe(e)).isEmpty();
  }

  private static Arguments row(String name, Consumer<DiagnosisWorld> setUp, Cause cause, Confidence confidence, String evidence) {
    return Arguments.of(name, setUp, cause, confidence, evidence);
  }
}
