package io.edgeray.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeray.testing.AdminClient;
import io.edgeray.testing.Await;
import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.ExternalCommand;
import io.edgeray.testing.FaultyOrigin;
import io.edgeray.testing.NetNamespace;
import io.edgeray.testing.Ports;
import io.edgeray.testing.RawClient;
import io.edgeray.testing.TestClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Incidents for real: an origin port with nothing listening (521), the edge's own detector, the
 * doctor it runs, a webhook on loopback. The incidents' clock is a {@link TestClock}: minutes and
 * {@code close_after} pass when the test moves it.
 */
class IncidentEndToEndTest {
  static final Duration WAIT = Duration.ofSeconds(15);
  private final TestClock clock = new TestClock();
  @RegisterExtension final EdgeExtension edge = EdgeExtension.create().node("INC").clock(clock);
  private final int adminPort = Ports.closedPort();
  @TempDir Path dir;

  static String zone(int originPort) {
    return EdgeExtension.zone("shop.example", "origin_ports: { http: " + originPort + " }\ntimeouts: { connect: 2s, read: 2s, write: 2s }");
  }

  private String extra(String incidents) {
    return "admin: 127.0.0.1:" + adminPort + "\nincidents: " + incidents + "\n";
  }

  /**
   * n GETs for shop.example; each answer's ray id. Returns once the detector has seen them all: a
   * ray is counted after its answer went out, and must be counted before the test moves the clock.
   */
  private List<String> get(int n, int status) throws Exception {
    long before = edge.node().incidents().raysWatched();
    List<String> rays = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      RawClient.Response r = edge.get("shop.example", "/p" + i);
      assertThat(r.status()).isEqualTo(status);
      rays.add(r.header("edge-ray"));
    }
    awaitWatched(before + n);
    return rays;
  }

  private void awaitWatched(long rays) {
    Await.until(WAIT, () -> edge.node().incidents().raysWatched() >= rays, rays + " rays seen by the detector");
  }

  private String admin(String path) throws Exception {
    AdminClient.Response r = edge.admin().get(path);
    assertThat(r.status()).as(path).isEqualTo(200);
    assertThat(r.header("content-type")).startsWith("application/json");
    assertThat(r.header("cache-control")).isEqualTo("no-store");
    return r.body();
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void refusedOriginOpensAnIncidentTheWebhookGetsOpenThenWebServerDownThenCloseAfterRecovery() throws Exception {
    int port = Ports.closedPort();
    try (WebhookReceiver hook = new WebhookReceiver()) {
      edge.start(extra("{ notify: " + hook.url() + " }"), zone(port));
      List<String> rays = get(9, 521);
      assertThat(edge.node().incidents().all()).as("9 failures: below min_failures 10").isEmpty();
      long firstFailure = System.nanoTime();
      rays.addAll(get(1, 521));

      JsonNode opened = hook.await("incident_opened", WAIT).json();
      JsonNode inc = opened.path("incident");
      assertThat(inc.path("host").asText()).isEqualTo("shop.example");
      assertThat(inc.path("zone").asText()).isEqualTo("shop.example");
      assertThat(inc.path("state").asText()).isEqualTo("open");
      assertThat(inc.path("started").asText()).isEqualTo("2026-12-01T10:00:00Z");
      assertThat(inc.path("ended").isNull()).isTrue();
      assertThat(inc.path("failures").asLong()).isEqualTo(10);
      assertThat(inc.path("codes").toString()).isEqualTo("{\"521\":10}");
      assertThat(inc.path("origins").toString()).isEqualTo("[\"127.0.0.1:" + port + "\"]");
      assertThat(inc.path("minutes").toString())
          .isEqualTo("[{\"minute\":\"2026-12-01T10:00:00Z\",\"rays\":10,\"failures\":10,\"codes\":{\"521\":10}}]");
      List<String> sample = new ArrayList<>();
      inc.path("sample_rays").forEach(r -> sample.add(r.asText()));
      assertThat(sample).hasSize(10).containsExactlyInAnyOrderElementsOf(rays);
      assertThat(opened.path("text").asText()).startsWith("edgeray INC: incident " + inc.path("id").asText()
          + " for shop.example opened at 2026-12-01T10:00:00Z: 10 origin failures of 10 requests (521 x10) from 127.0.0.1:" + port);

      WebhookReceiver.Post verdictPost = hook.await("incident_verdict", WAIT);
      System.out.printf("INCIDENT-TIMING first failing ray of the crossing -> verdict at the webhook: %d ms%n",
          TimeUnit.NANOSECONDS.toMillis(verdictPost.arrivedNanos() - firstFailure));
      JsonNode d = verdictPost.json().path("incident").path("diagnosis");
      assertThat(d.path("cause").asText()).isEqualTo("web_server_down");
      assertThat(d.path("confidence").asText()).isEqualTo("high");
      assertThat(d.path("evidence").asText()).isEqualTo("nothing on this machine listens on port " + port
          + " and 127.0.0.1 port " + port + " is refused");
      assertThat(d.path("support_message").asText()).startsWith("Subject: Origin problem for shop.example: ");
      assertThat(verdictPost.json().path("text").asText()).contains("*the web server is not running, or not listening on the port*"
          + " [high confidence, web_server_down]");

      // the doctor's own request through the edge: in the log as the doctor's, counted nowhere
      Await.until(WAIT, () -> edge.log().read().stream().anyMatch(l -> l.path("doctor").asBoolean()), "the doctor's log line");
      JsonNode probe = edge.log().read().stream().filter(l -> l.path("doctor").asBoolean()).findFirst().orElseThrow();
      assertThat(probe.path("status").asInt()).isEqualTo(521);
      assertThat(probe.path("user_agent").asText()).isEqualTo("edgeray-doctor");
      String metrics = edge.admin().get("/metrics").body();
      assertThat(metrics).contains("edgeray_requests_total{failure=\"CONNECTION_REFUSED\",status=\"521\",zone=\"shop.example\"} 10.0")
          .contains("edgeray_doctor_requests_total{status=\"521\",zone=\"shop.example\"} 1.0");
      assertThat(edge.node().incidents().get(inc.path("id").asText()).orElseThrow().failures())
          .as("the doctor's probe is not one of the incident's failures").isEqualTo(10);

      // the web server comes back; the minute window empties, then close_after (5m) of calm closes it
      try (FaultyOrigin back = FaultyOrigin.start(Ports.LOOPBACK, port)) {
        get(3, 200);
        clock.advance(Duration.ofSeconds(61));
        get(1, 200);
        clock.advance(Duration.ofMinutes(3)); // 10:04:01, four minutes after the last failing second
        long checks = edge.node().incidents().checks();
        Await.until(WAIT, () -> edge.node().incidents().checks() > checks + 1, "a close check at 10:04:01");
        assertThat(hook.events()).doesNotContain("incident_closed");
        clock.advance(Duration.ofMinutes(1).plusSeconds(1));
        JsonNode closed = hook.await("incident_closed", WAIT).json();
        JsonNode c = closed.path("incident");
        assertThat(c.path("id").asText()).isEqualTo(inc.path("id").asText());
        assertThat(c.path("state").asText()).isEqualTo("closed");
        assertThat(c.path("ended").asText()).isEqualTo("2026-12-01T10:05:02Z");
        assertThat(c.path("rays").asLong()).isEqualTo(14);
        assertThat(c.path("closing_diagnosis").path("cause").asText()).isEqualTo("healthy");
        assertThat(c.path("diagnosis").path("cause").asText()).as("what the opening run saw is kept").isEqualTo("web_server_down");
        assertThat(closed.path("text").asText()).contains(" closed at ").contains("When it closed: *");
        assertThat(hook.events()).containsExactly("incident_opened", "incident_verdict", "incident_closed");
        System.out.println("SAMPLE-NOTIFICATION " + verdictPost.body());
      }
    }
  }

  /**
   * A firewall only sees packets in its own network namespace, so here the edge, the origin, the
   * rule and the webhook all run inside one the test creates (each a JVM of its own there), and the
   * test talks to them with curl run inside it. The clock is the real one: the ten failures fall
   * within one minute, and the test ends before anything could close.
   */
  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void aFirewallRejectingTheEdgesEgressAddressOpensAnIncidentWhoseVerdictIsTheFirewall() throws Exception {
    assumeTrue(NetNamespace.available(), "needs root and ip netns (CI runs as root)");
    assumeTrue(ExternalCommand.find("nft").isPresent(), "nft is not installed (Debian: apt-get install nftables)");
    try (NetNamespace ns = NetNamespace.create()) {
      NetNamespace.JavaProcess hook = ns.javaProcess("io.edgeray.incident.WebhookReceiver", List.of());
      hook.awaitStdout("listening ", WAIT);
      String hookUrl = "http://127.0.0.1:" + hook.stdoutText().lines().findFirst().orElseThrow().split(" ")[1] + "/hook";
      int port = ns.startOrigin("127.0.0.1");
      ns.firewall("127.0.0.2", port, "reject with tcp reset");
      Path config = Files.writeString(dir.resolve("edge.yaml"), edge.yaml(dir.resolve("access.jsonl"),
          "admin: 127.0.0.1:18081\nwarm_up: false\nedge: { egress: [127.0.0.2] }\nincidents: { notify: " + hookUrl + " }\n", zone(port), 18080, 0));
      NetNamespace.JavaProcess served = ns.javaProcess("io.edgeray.cli.Main", List.of("serve", "--config", config.toString()));
      Await.until(Duration.ofSeconds(30), () -> served.stderrText().contains("listening on"), "edge started in " + ns.name());

      List<String> tenGets = new ArrayList<>(List.of("-s", "-w", "%{http_code}\n", "-H", "Host: shop.example"));
      for (int i = 0; i < 10; i++) tenGets.addAll(List.of("-o", "/dev/null", "http://127.0.0.1:18080/p" + i)); // one -o per URL
      assertThat(curl(ns, tenGets).lines())
          .as("the edge's own connects come from 127.0.0.2 and are rejected").containsOnly("521").hasSize(10);

      Await.until(Duration.ofSeconds(45), () -> hook.stdoutText().contains("\"event\":\"incident_verdict\""),
          "a verdict at the webhook; edge stderr: " + served.stderrText());
      JsonNode verdict = hook.stdoutText().lines().filter(l -> l.contains("\"event\":\"incident_verdict\""))
          .map(WebhookReceiver::parse).findFirst().orElseThrow();
      JsonNode d = verdict.path("incident").path("diagnosis");
      assertThat(d.path("cause").asText()).isEqualTo("firewall_blocks_edge");
      assertThat(d.path("evidence").asText())
          .isEqualTo("a connect from the edge's egress address 127.0.0.2 is refused while one from 127.0.0.1 is accepted");
      assertThat(verdict.path("incident").path("codes").toString()).isEqualTo("{\"521\":10}");
      assertThat(verdict.path("text").asText()).contains("[high confidence, firewall_blocks_edge]");

      String id = verdict.path("incident").path("id").asText();
      String token = Files.readString(dir.resolve("state").resolve("admin-token"), StandardCharsets.US_ASCII).trim();
      JsonNode one = WebhookReceiver.parse(curl(ns,
          List.of("-s", "-H", "Authorization: Bearer " + token, "http://127.0.0.1:18081/api/incidents/" + id)));
      assertThat(one.path("state").asText()).isEqualTo("open");
      assertThat(one.path("diagnosis").path("cause").asText()).isEqualTo("firewall_blocks_edge");
    }
  }

  /** curl inside the namespace: its stdout. */
  private static String curl(NetNamespace ns, List<String> args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("curl", "--max-time", "10"));
    cmd.addAll(args);
    NetNamespace.Result r = ns.run(Duration.ofSeconds(20), cmd.toArray(String[]::new));
    assertThat(r.exitCode()).as(String.join(" ", cmd) + ": " + r.stderr()).isZero();
    return r.stdout();
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aFlappingOriginIsOneIncident() throws Exception {
    int port = Ports.closedPort();
    try (WebhookReceiver hook = new WebhookReceiver()) {
      edge.start(extra("{ notify: " + hook.url() + " }"), zone(port));
      for (int round = 0; round < 3; round++) {
        get(10, 521);
        try (FaultyOrigin up = FaultyOrigin.start(Ports.LOOPBACK, port)) {
          get(10, 200);
        }
        clock.advance(Duration.ofMinutes(2)); // up for two minutes, then down again: within close_after
      }
      hook.await("incident_verdict", WAIT);
      assertThat(edge.node().incidents().all()).hasSize(1);
      IncidentRecord only = edge.node().incidents().all().get(0);
      assertThat(only.open()).isTrue();
      assertThat(only.failures()).isEqualTo(30);
      assertThat(only.minutes()).extracting(IncidentRecord.Minute::minute)
          .containsExactly("2026-12-01T10:00:00Z", "2026-12-01T10:02:00Z", "2026-12-01T10:04:00Z");
      assertThat(hook.events()).containsExactly("incident_opened", "incident_verdict");
    }
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void failuresBelowTheShareOfTheHostsRaysOpenNoIncident() throws Exception {
    int port = Ports.closedPort();
    edge.start(extra("{ min_failures: 10, min_share: 50% }"), zone(port));
    try (FaultyOrigin up = FaultyOrigin.start(Ports.LOOPBACK, port)) {
      get(11, 200);
    }
    get(10, 521); // 10 of 21 failed: 47.6 %
    assertThat(edge.node().incidents().all()).isEmpty();
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void everyRayFailingForAllFailingForOpensWithFewFailures() throws Exception {
    edge.start(extra("{ all_failing_for: 30s }"), zone(Ports.closedPort()));
    get(1, 521);
    clock.advance(Duration.ofSeconds(20));
    get(1, 521);
    assertThat(edge.node().incidents().all()).isEmpty();
    clock.advance(Duration.ofSeconds(10));
    get(1, 521);
    Await.until(WAIT, () -> edge.node().incidents().all().size() == 1, "an incident after 30 s of nothing but failures");
    assertThat(edge.node().incidents().all().get(0).started()).isEqualTo("2026-12-01T10:00:30Z");
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void incidentsSurviveARestartAndTheApiListsThemWithTheirFields() throws Exception {
    int port = Ports.closedPort();
    edge.start(extra("{ }"), zone(port));
    get(10, 521);
    Await.until(WAIT, () -> edge.node().incidents().all().size() == 1
        && edge.node().incidents().all().get(0).diagnosis() != null, "an incident with its verdict");
    String id = edge.node().incidents().all().get(0).id();
    edge.reload(zone(port));
    Await.until(WAIT, () -> !edge.node().incidents().get(id).orElseThrow().changes().isEmpty(), "the reload noted");

    edge.restart();

    JsonNode list = WebhookReceiver.parse(admin("/api/incidents"));
    assertThat(list.path("open").asLong()).isEqualTo(1);
    JsonNode summary = list.path("incidents").get(0);
    List<String> names = new ArrayList<>();
    summary.fieldNames().forEachRemaining(names::add);
    assertThat(names).containsExactly("id", "host", "zone", "state", "started", "ended", "rays", "failures", "codes", "sample_rays", "cause",
        "confidence", "verdict");
    assertThat(summary.path("id").asText()).isEqualTo(id);
    assertThat(summary.path("cause").asText()).isEqualTo("web_server_down");
    assertThat(summary.path("codes").toString()).isEqualTo("{\"521\":10}");

    JsonNode one = WebhookReceiver.parse(admin("/api/incidents/" + id));
    names.clear();
    one.fieldNames().forEachRemaining(names::add);
    assertThat(names).containsExactly("id", "host", "zone", "state", "started", "ended", "rays", "failures", "codes", "minutes",
        "origins", "pools", "sample_rays", "changes", "diagnosis", "closing_diagnosis");
    assertThat(one.path("changes").get(0).path("kind").asText()).isEqualTo("config_reload");
    assertThat(one.path("diagnosis").path("checks").get(0).toString()).startsWith("{\"id\":\"records\",\"outcome\":\"passed\",");
    assertThat(admin("/api/incidents?state=closed")).isEqualTo("{\"open\":1,\"incidents\":[]}");

    AdminClient.Response missing = edge.admin().get("/api/incidents/nope");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.body()).isEqualTo("{\"error\":{\"code\":\"not_found\",\"message\":\"no incident nope (kept: the last 200)\",\"field\":null}}");

    assertThat(edge.admin().withoutToken().get("/api/incidents").status()).as("a token is needed").isEqualTo(401);

    // still open after the restart, it closes after close_after of calm like any other
    clock.advance(Duration.ofMinutes(6));
    Await.until(WAIT, () -> !edge.node().incidents().get(id).orElseThrow().open(), "the resumed incident closed");
  }
}
