package io.edgeray.incident;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeray.testing.CliRun;
import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.Fault;
import io.edgeray.testing.FaultyOrigin;
import io.edgeray.testing.Ports;
import io.edgeray.testing.RawClient;
import io.edgeray.testing.TestClock;
import io.edgeray.testing.TestPki;
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

/** The doctor's verdict for causes other than a stopped web server, and the command line's view of incidents. */
class IncidentDiagnosisTest {
  private final TestClock clock = new TestClock();
  @RegisterExtension final EdgeExtension edge = EdgeExtension.create().node("INC").clock(clock);
  @TempDir Path dir;

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void anExpiredOriginCertificateUnderFullStrictGivesTheVerdictTlsCertificateInvalid() throws Exception {
    TestPki pki = new TestPki(dir.resolve("pki"), "Incident Test CA");
    TestPki.Leaf visitorCert = pki.issue("shop.example");
    try (WebhookReceiver hook = new WebhookReceiver();
        FaultyOrigin origin = FaultyOrigin.startTls(pki, Fault.EXPIRED_CERTIFICATE, "shop.example")) {
      edge.https().start("incidents: { notify: " + hook.url() + " }\n", EdgeExtension.zone("shop.example",
          "origin_ports: { http: " + Ports.closedPort() + ", https: " + origin.port() + " }\n"
              + "ssl: full_strict\norigin_ca: " + pki.caFile() + "\n"
              + "certificate: { cert: " + visitorCert.files().cert() + ", key: " + visitorCert.files().key() + " }"));
      for (int i = 0; i < 10; i++) {
        assertThat(edge.getTls(pki.clientContext(), "shop.example", "/").status()).isEqualTo(526);
      }
      JsonNode verdict = hook.await("incident_verdict", IncidentEndToEndTest.WAIT).json().path("incident");
      assertThat(verdict.path("codes").toString()).isEqualTo("{\"526\":10}");
      assertThat(verdict.path("diagnosis").path("cause").asText()).isEqualTo("tls_certificate_invalid");
      assertThat(verdict.path("diagnosis").path("evidence").asText()).startsWith("origin certificate expired: the certificate expired on ");
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void thePoolsWebhookIsToldOfTheIncidentAndTheEjectionIsAmongItsChanges() throws Exception {
    try (WebhookReceiver hook = new WebhookReceiver()) {
      edge.start("""
          pools:
            - name: web
              notify: %s
              passive: { failures: 1, ejection: 60s }   # one of the two is ejected at once (at most half may be)
              origins:
                - { name: a, address: 127.0.0.1, port: %d }
                - { name: b, address: 127.0.0.1, port: %d }
          """.formatted(hook.url(), Ports.closedPort(), Ports.closedPort()), """
            - name: shop.example
              load_balancers:
                - { name: "@", pool: web }
          """);
      for (int i = 0; i < 10; i++) assertThat(edge.get("shop.example", "/").status()).isEqualTo(521);
      JsonNode inc = hook.await("incident_opened", IncidentEndToEndTest.WAIT).json().path("incident");
      assertThat(inc.path("pools").toString()).isEqualTo("[\"web\"]");
      List<String> changes = new ArrayList<>();
      inc.path("changes").forEach(c -> changes.add(c.path("kind").asText() + " " + c.path("what").asText()));
      assertThat(changes).anyMatch(c -> c.matches("origin_ejected origin web\\.[ab] healthy -> ejected: .*"));
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void theIncidentsCommandPrintsOpenIncidentsWithTheirVerdict() throws Exception {
    int adminPort = Ports.closedPort();
    int originPort = Ports.closedPort();
    edge.start("admin: 127.0.0.1:" + adminPort + "\n", IncidentEndToEndTest.zone(originPort));
    for (int i = 0; i < 10; i++) assertThat(edge.get("shop.example", "/").status()).isEqualTo(521);
    io.edgeray.testing.Await.until(IncidentEndToEndTest.WAIT, () -> !edge.node().incidents().all().isEmpty()
        && edge.node().incidents().all().get(0).diagnosis() != null, "an incident with its verdict");
    String id = edge.node().incidents().all().get(0).id();
    String token = Files.readString(edge.dir().resolve("state/admin-token")).strip();

    CliRun text = CliRun.of("incidents", "--config", edge.configFile().toString(), "--token", token);
    assertThat(text.code()).as(text.err()).isEqualTo(1);
    assertThat(text.out()).isEqualTo("OPEN (1)\n"
        + "  " + id + "  shop.example  since 2026-12-01T10:00:00Z\n"
        + "    10 origin failures of 10 requests (521 x10)\n"
        + "    verdict: the web server is not running, or not listening on the port [high confidence, web_server_down]\n"
        + "RECENT (0)\n");

    CliRun json = CliRun.of("incidents", "--config", edge.configFile().toString(), "--token", token, "--format", "json");
    assertThat(WebhookReceiver.parse(json.out()).path("incidents").get(0).path("id").asText()).isEqualTo(id);

    CliRun noToken = CliRun.of("incidents", "--config", edge.configFile().toString());
    assertThat(noToken.code()).isEqualTo(2);
    assertThat(noToken.err()).contains("answered 401").contains("give a token with --token or EDGERAY_TOKEN");
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aVisitorSendingTheDoctorHeaderIsCountedAndTheHeaderNeverReachesTheOrigin() throws Exception {
    try (FaultyOrigin origin = FaultyOrigin.start()) {
      edge.start("", IncidentEndToEndTest.zone(origin.port()));
      RawClient.Response r = edge.get("shop.example", "/", "Edge-Doctor: guessed", "User-Agent: edgeray-doctor");
      assertThat(r.status()).isEqualTo(200);
      assertThat(origin.awaitRequests(1, Duration.ofSeconds(5)).get(0).headers())
          .noneMatch(h -> h.name().equalsIgnoreCase("edge-doctor"));
      JsonNode line = edge.logLine(r.header("edge-ray"));
      assertThat(line.has("doctor")).as("a wrong secret is a visitor's request").isFalse();

      String secret = Files.readString(edge.dir().resolve("state/doctor-key")).strip();
      RawClient.Response marked = edge.get("shop.example", "/", "Edge-Doctor: " + secret);
      assertThat(edge.logLine(marked.header("edge-ray")).path("doctor").asBoolean()).isTrue();
      assertThat(origin.awaitRequests(2, Duration.ofSeconds(5)).get(1).headers())
          .noneMatch(h -> h.name().equalsIgnoreCase("edge-doctor") || h.value().contains(secret));
      assertThat(edge.node().incidents().raysWatched()).as("the doctor's request is not watched").isEqualTo(1);
    }
  }
}
