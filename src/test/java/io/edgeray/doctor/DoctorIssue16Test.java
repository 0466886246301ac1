package io.edgeray.doctor;

import static io.edgeray.doctor.LoopbackScenariosTest.check;
import static io.edgeray.doctor.LoopbackScenariosTest.zone;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeray.testing.CliRun;
import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.FaultyOrigin;
import io.edgeray.testing.FullBacklogListener;
import io.edgeray.testing.Ports;
import io.edgeray.testing.TcpRelay;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Regression tests for the doctor's defects of issue 16, each named after what was wrong. */
class DoctorIssue16Test {
  @RegisterExtension final EdgeExtension edge = EdgeExtension.create().node("DOC");
  @TempDir Path dir;

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void verdictNoLongerContradictsItsEvidenceWhenTheRecordPointsAtANeighbouringAddressOfTheListener() throws Exception {
    try (FaultyOrigin origin = FaultyOrigin.start(InetAddress.getByName("127.0.0.5"), 0);
        DoctorScenario s = DoctorScenario.of(edge, dir, zone(origin.port(), Ports.closedPort(), "127.0.0.6", ""))) {
      int p = origin.port();
      Report r = s.examine("http://shop.example/");

      assertThat(check(r, "listeners").outcome()).isEqualTo(Outcome.PROBLEM);
      assertThat(check(r, "listeners").summary()).isEqualTo("port " + p + " listens on [127.0.0.5:" + p + "], not on [127.0.0.6]");
      assertThat(r.verdict().cause()).isEqualTo(Cause.RECORD_WRONG_ADDRESS);
      assertThat(r.verdict().confidence()).isEqualTo(Confidence.HIGH);
      assertThat(r.verdict().evidence()).isEqualTo("the record points at 127.0.0.6, where port " + p + " is refused, while"
          + " the web server on this machine listens on [127.0.0.5:" + p + "]");
      assertThat(r.findings()).extracting(Finding::cause).doesNotContain(Cause.WEB_SERVER_DOWN);
      assertThat(r.exitCode()).isEqualTo(1);
    }
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void aLoopIsNoLongerCalledAnEdgeOnlyFailureWhenTheOriginPortIsTheEdgesOwnListener() throws Exception {
    // An edge refuses to start with its own listener as an origin (check-config says so first), so
    // the running edge reaches itself through a port forward; the doctor reads the config that
    // names the loop outright.
    try (TcpRelay forward = TcpRelay.listen();
        DoctorScenario running = DoctorScenario.of(edge, dir, zone(forward.port(), Ports.closedPort(), "127.0.0.1", "")).withEdge()) {
      forward.to(edge.httpAddress());
      int edgePort = edge.httpPort();
      DoctorScenario s = DoctorScenario.of(edge, dir, zone(edgePort, Ports.closedPort(), "127.0.0.1", ""));
      Report r = s.examineWith(s.doctorConfigListeningOn(edgePort), "http://shop.example/");

      assertThat(r.verdict().cause()).isEqualTo(Cause.ROUTING_LOOP);
      assertThat(r.verdict().confidence()).isEqualTo(Confidence.HIGH);
      assertThat(r.verdict().evidence()).isEqualTo("the origin of shop.example, 127.0.0.1 port " + edgePort
          + ", is the edge's own HTTP listener (listen.http 127.0.0.1:" + edgePort + "): requests would loop");
      assertThat(r.findings()).extracting(Finding::cause).doesNotContain(Cause.EDGE_ONLY_FAILURE);
      assertThat(check(r, "records").outcome()).isEqualTo(Outcome.PROBLEM);
      // the edge itself says so: its answer to the doctor is the loop refusal
      assertThat(check(r, "edge").evidence().get(1)).contains("status 403").contains("error=proxy_loop_detected");
      assertThat(r.exitCode()).isEqualTo(1);
    }
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void aLoopIsRecognisedByTheEdgesOwnHeadersWhenTheListenerTableCannotSeeIt() throws Exception {
    // the doctor's config says the edge listens elsewhere (another node, a port forward): only the answer tells
    try (TcpRelay forward = TcpRelay.listen();
        DoctorScenario s = DoctorScenario.of(edge, dir, zone(forward.port(), Ports.closedPort(), "127.0.0.1", "")).withEdge()) {
      forward.to(edge.httpAddress());
      int edgePort = forward.port();
      Path elsewhere = s.doctorConfigListeningOn(Ports.closedPort());
      Report r = s.examineWith(elsewhere, "http://shop.example/");

      assertThat(r.verdict().cause()).isEqualTo(Cause.ROUTING_LOOP);
      assertThat(r.verdict().confidence()).isEqualTo(Confidence.HIGH);
      assertThat(r.verdict().evidence()).matches("127\\.0\\.0\\.1 port " + edgePort + " answered as this edge itself"
          + " \\(Edge-Ray [0-9a-f]{16}-DOC(, Via 1\\.1 edgeray-DOC)?\\): the origin port " + edgePort + " leads back to the edge");
      CheckResult direct = check(r, "direct");
      assertThat(direct.outcome()).isEqualTo(Outcome.PROBLEM);
      assertThat(direct.summary()).isEqualTo("http port " + edgePort + " is this edge itself, not the origin: a loop");
    }
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void aBlackHoledOriginNoLongerTakesSevenToNineSecondsWithTheDefaultTimeout() throws Exception {
    try (FullBacklogListener http = FullBacklogListener.open();
        FullBacklogListener https = FullBacklogListener.open();
        DoctorScenario s = DoctorScenario.of(edge, dir, zone(http.port(), https.port(), "127.0.0.1",
            "      - { type: A, name: www, content: 127.0.0.9, proxied: true }\n")).with("edge: { egress: [127.0.0.2] }")) {
      long t0 = System.nanoTime();
      Report r = s.examine("http://shop.example/", Doctor.Settings.defaults().probeTimeout());
      long wall = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

      assertThat(Doctor.Settings.defaults().probeTimeout()).isEqualTo(Duration.ofSeconds(3));
      assertThat(check(r, "direct").summary()).isEqualTo("http port " + http.port() + ": TCP timed out (522)");
      assertThat(check(r, "egress").summary()).isEqualTo("both sources fail (timed out / timed out): not specific to the edge");
      assertThat(r.verdict().cause()).isEqualTo(Cause.ORIGIN_OVERLOADED);
      assertThat(wall).as("wall time of the whole run, ms").isLessThan(5000);
      assertThat(r.millis()).isLessThanOrEqualTo(wall);
    }
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void aBlackHoledOriginEndsWithinTheTimeoutPlusTwoSecondsWhenTheTimeoutIsADuration() throws Exception {
    try (FullBacklogListener http = FullBacklogListener.open();
        FullBacklogListener https = FullBacklogListener.open()) {
      Path config = DoctorScenario.of(edge, dir, zone(http.port(), https.port(), "127.0.0.1", ""))
          .with("edge: { egress: [127.0.0.2] }").doctorConfig();

      long t0 = System.nanoTime();
      CliRun run = CliRun.of("doctor", "--config", config.toString(), "--timeout", "1s", "--format", "json", "http://shop.example/");
      long wall = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

      assertThat(run.code()).as(run.err()).isEqualTo(1);
      JsonNode j = new ObjectMapper().readTree(run.out());
      assertThat(j.at("/verdict/cause").asText()).isEqualTo("origin_overloaded");
      assertThat(wall).as("wall time of the whole run, ms").isLessThan(1000 + 2000);
    }
  }

  @Test
  void aTimeoutIsADurationAsInTheConfigAndAPlainNumberStillMeansMilliseconds() {
    assertThat(TimeoutOption.parse("2s")).isEqualTo(Duration.ofSeconds(2));
    assertThat(TimeoutOption.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(TimeoutOption.parse("1m")).isEqualTo(Duration.ofMinutes(1));
    assertThat(TimeoutOption.parse("2500")).isEqualTo(Duration.ofMillis(2500));
  }

  @Test
  void aTimeoutThatIsNotADurationIsExitCode2AndSaysHowToWriteIt() {
    CliRun r = CliRun.of("doctor", "--timeout", "soon", "shop.example");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("\"soon\" is not a duration (write it as 500ms, 19s, 2m or 1h; a plain number is milliseconds)");
    CliRun zero = CliRun.of("doctor", "--timeout", "0s", "shop.example");
    assertThat(zero.code()).isEqualTo(2);
    assertThat(zero.err()).contains("\"0s\": must be longer than zero");
  }

  @Test
  void aLoopForTheOtherVisitorSchemeIsAWarningOfTheRecordsCheckNamingThePort() throws Exception {
    int edgePort = Ports.closedPort();
    int https = Ports.closedPort();
    Path config = DoctorScenario.of(edge, dir, zone(edgePort, https, "127.0.0.1", "")).onPort(edgePort).doctorConfigListeningOn(edgePort);

    RecordsCheck.Result r = RecordsCheck.run(io.edgeray.config.load.ConfigLoader.loadForDiagnosis(config), DoctorTarget.parse("https://shop.example/"),
        Duration.ofSeconds(1));

    assertThat(r.blocking()).isNull();
    assertThat(r.check().outcome()).isEqualTo(Outcome.WARNING);
    assertThat(r.check().evidence()).contains("HTTP visitors are sent to 127.0.0.1 port " + edgePort + ", the edge's own HTTP listener"
        + " (listen.http 127.0.0.1:" + edgePort + "): their requests would loop");
  }
}
