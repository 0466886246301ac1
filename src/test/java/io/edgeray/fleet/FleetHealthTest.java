package io.edgeray.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeray.testing.AdminClient;
import io.edgeray.testing.Await;
import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.EtcdProcess;
import io.edgeray.testing.FaultyOrigin;
import io.edgeray.testing.Ports;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Health seen from every node, on loopback against a real etcd. SIN's egress address is not one
 * of this host's, so every connection it makes to an origin fails before a packet leaves (523):
 * a broken path at SIN only, while AMS reaches the same origin.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class FleetHealthTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String BROKEN_PATH = ", lease: 3s }\nedge: { egress: [192.0.2.1] }\n"; // TEST-NET-1: never bound here
  private static EtcdProcess etcd;

  @RegisterExtension final EdgeExtension ams = EdgeExtension.create().node("AMS");
  @RegisterExtension final EdgeExtension sin = EdgeExtension.create().node("SIN");

  @BeforeAll
  static void store() throws Exception {
    etcd = EtcdProcess.started();
  }

  @AfterAll
  static void stop() {
    if (etcd != null) etcd.close();
  }

  /** A pool checked every 200 ms over TCP, behind lb.shop.test, and a plain record www.shop.test. */
  private static String shared(int originPort, String poolSettings) {
    return "pools:\n"
        + "  - name: web\n"
        + poolSettings
        + "    monitor: { type: tcp, interval: 200ms, timeout: 1s, retries: 0 }\n"
        + "    origins:\n"
        + "      - { name: a, address: 127.0.0.1, port: " + originPort + " }\n"
        + "zones:\n"
        + "  - name: shop.test\n"
        + "    origin_ports: { http: " + originPort + " }\n"
        + "    records:\n"
        + "      - { type: A, name: www, content: 127.0.0.1, proxied: true }\n"
        + "    load_balancers:\n"
        + "      - { name: lb, pool: web }\n";
  }

  private void startBoth(String prefix) throws Exception {
    ams.start(nodeYaml(prefix, "Amsterdam", ", lease: 3s }\n"), "");
    sin.start(nodeYaml(prefix, "Singapore", BROKEN_PATH), "");
  }

  private static String nodeYaml(String prefix, String location, String end) {
    return "admin: 127.0.0.1:0\nfleet: { etcd: [" + etcd.url() + "], prefix: " + prefix + ", location: \"" + location + "\"" + end;
  }

  private static JsonNode origin(EdgeExtension edge) {
    try {
      AdminClient.Response r = edge.admin().get("/api/pools");
      return r.status() == 200 ? JSON.readTree(r.body()).path("pools").path(0).path("origins").path(0) : JSON.missingNode();
    } catch (Exception e) {
      return JSON.missingNode();
    }
  }

  private static JsonNode view(JsonNode origin, String node) {
    for (JsonNode v : origin.path("views")) if (v.path("node").asText().equals(node)) return v;
    return JSON.missingNode();
  }

  @Test
  void everyNodesViewOfAnOriginIsInApiPoolsWithOneSentenceWhenTheyDisagree() throws Exception {
    try (FaultyOrigin origin = FaultyOrigin.start()) {
      FleetFixture.write(etcd::url, "/views", shared(origin.port(), ""));
      startBoth("/views");
      Await.until(WAIT, () -> view(origin(ams), "SIN").path("state").asText().equals("unhealthy")
          && view(origin(ams), "AMS").path("state").asText().equals("healthy"), "SIN's unhealthy view at AMS");

      JsonNode seen = origin(ams);
      assertThat(seen.path("views").get(0).path("node").asText()).as("this node's own view first").isEqualTo("AMS");
      JsonNode fromSin = view(seen, "SIN");
      assertThat(fromSin.path("location").asText()).isEqualTo("Singapore");
      assertThat(fromSin.path("failure").asText()).isEqualTo("UNREACHABLE");
      assertThat(fromSin.path("code").asInt()).isEqualTo(523);
      assertThat(fromSin.path("passed").asBoolean()).isFalse();
      assertThat(fromSin.path("last_check").asText()).isNotEmpty();
      assertThat(fromSin.path("at").asText()).isNotEmpty();
      assertThat(seen.path("disagreement").asText())
          .isEqualTo("unreachable from SIN only: a path or firewall problem near SIN, not the origin");
      assertThat(seen.path("state").asText()).as("without health_quorum AMS goes by its own checks").isEqualTo("healthy");
      assertThat(origin(sin).path("state").asText()).as("and so does SIN").isEqualTo("unhealthy");
      assertThat(origin(sin).path("disagreement").asText()).isEqualTo(seen.path("disagreement").asText());
    }
  }

  @Test
  void withAHealthQuorumOfTwoOneNodesBadPathKeepsTheOriginInButTwoNodesSeeingItDownTakeItOut() throws Exception {
    FaultyOrigin origin = FaultyOrigin.start();
    try {
      FleetFixture.write(etcd::url, "/quorum", shared(origin.port(), "    health_quorum: 2\n"));
      startBoth("/quorum");
      Await.until(WAIT, () -> view(origin(sin), "SIN").path("state").asText().equals("unhealthy")
          && view(origin(sin), "AMS").path("state").asText().equals("healthy")
          && origin(sin).path("state").asText().equals("healthy"), "SIN's own view unhealthy, the fleet's verdict healthy");
      assertThat(origin(ams).path("state").asText()).isEqualTo("healthy");
      assertThat(sin.node().server().pools().changeCounts()).as("not even for a moment at SIN's start")
          .doesNotContainKey(List.of("web", "a", "unhealthy"));
      assertThat(FleetFixture.status(ams, "lb.shop.test")).isEqualTo(200);
      assertThat(ams.admin().get("/api/pools").json().path("pools").get(0).path("health_quorum").asInt()).isEqualTo(2);

      origin.close(); // now AMS is refused too: 2 of 2 nodes see it down
      Await.until(WAIT, () -> origin(ams).path("state").asText().equals("unhealthy")
          && origin(sin).path("state").asText().equals("unhealthy"), "the origin out on both nodes");
      assertThat(view(origin(ams), "AMS").path("failure").asText()).isEqualTo("CONNECTION_REFUSED");
    } finally {
      origin.close();
    }
  }

  @Test
  void theFleetCredentialOpensTheDoctorOnlyAndAWrongOneIsRefused() throws Exception {
    try (FaultyOrigin origin = FaultyOrigin.start()) {
      FleetFixture.write(etcd::url, "/cred", shared(origin.port(), ""));
      ams.start(nodeYaml("/cred", "Amsterdam", " }\n"), "");
      String secret;
      try (Etcd e = new Etcd(List.of(URI.create(etcd.url())), Duration.ofSeconds(2))) {
        Await.until(WAIT, () -> {
          try {
            return e.get("/cred/secret").value() != null && ams.node().fleet().secret() != null;
          } catch (Etcd.Unreachable u) {
            return false;
          }
        }, "the node created the fleet secret");
        secret = e.get("/cred/secret").value();
      }
      assertThat(secret).matches("[A-Za-z0-9_-]{43}");
      AdminClient fleet = ams.admin().as("fleet." + secret).header(FleetSecret.NODE_HEADER, "SIN");
      String doctor = "{\"host\": \"www.shop.test\", \"fleet\": false}";

      AdminClient.Response wrong = ams.admin().as("fleet.not-the-secret").header(FleetSecret.NODE_HEADER, "SIN")
          .post("/api/doctor", doctor);
      assertThat(wrong.status()).isEqualTo(401);
      assertThat(wrong.errorCode()).isEqualTo("invalid_token");
      assertThat(wrong.body()).doesNotContain(secret);

      AdminClient.Response edit = fleet.post("/reload", "");
      assertThat(edit.status()).isEqualTo(403);
      assertThat(edit.errorCode()).isEqualTo("scope_insufficient");
      assertThat(fleet.get("/api/pools").status()).as("nor a read route").isEqualTo(403);
      assertThat(ams.admin().as("fleet." + secret).post("/api/doctor", doctor).errorCode()).isEqualTo("fleet_node_missing");
      assertThat(fleet.post("/api/doctor", "{\"host\": \"www.shop.test\", \"fleet\": true}").status())
          .as("a node asked by another never asks the fleet again").isEqualTo(403);

      AdminClient.Response ran = fleet.post("/api/doctor", doctor);
      assertThat(ran.status()).as(ran.body()).isEqualTo(200);
      assertThat(ran.json().path("verdict").path("cause").asText()).isEqualTo("healthy");
      Await.until(WAIT, () -> {
        try {
          return Files.readString(ams.dir().resolve("audit.jsonl")).contains("\"fleet:SIN\"");
        } catch (java.io.IOException e) {
          return false;
        }
      }, "the run in the audit log as fleet:SIN");
    }
  }

  @Test
  void theDoctorFromEveryLocationGivesARowPerNodeAndTheSentenceAndSaysWhoDidNotAnswer() throws Exception {
    try (FaultyOrigin origin = FaultyOrigin.start()) {
      FleetFixture.write(etcd::url, "/doc", shared(origin.port(), ""));
      startBoth("/doc");
      etcd.put("/doc/nodes/OLD", "{\"name\":\"OLD\",\"location\":\"Lisbon\",\"admin_url\":\"http://127.0.0.1:" + Ports.closedPort()
          + "\",\"version\":\"dev\",\"revision\":1,\"started\":\"2026-01-01T00:00:00Z\",\"seen\":\"2026-01-01T00:00:00Z\"}");
      Await.until(WAIT, () -> sin.node().fleet() != null && sin.node().fleet().secret() != null
          && FleetFixture.status(sin, "www.shop.test") == 523, "SIN serving the fleet's zone, with the secret");

      AdminClient.Response r = ams.admin().post("/api/doctor", "{\"host\": \"www.shop.test\", \"fleet\": true}");
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      JsonNode all = r.json();
      assertThat(all.path("host").asText()).isEqualTo("www.shop.test");
      assertThat(all.path("summary").asText())
          .isEqualTo("unreachable from SIN only: a path or firewall problem near SIN, not the origin; no answer from OLD");
      JsonNode rows = all.path("locations");
      assertThat(rows).hasSize(3);
      JsonNode a = rows.get(0);
      assertThat(a.path("node").asText()).isEqualTo("AMS");
      assertThat(a.path("location").asText()).isEqualTo("Amsterdam");
      assertThat(a.path("answered").asBoolean()).isTrue();
      assertThat(a.path("cause").asText()).isEqualTo("healthy");
      assertThat(a.path("exit_code").asInt()).isZero();
      JsonNode old = rows.get(1);
      assertThat(old.path("node").asText()).isEqualTo("OLD");
      assertThat(old.path("answered").asBoolean()).isFalse();
      assertThat(old.path("error").asText()).endsWith("refused the connection");
      JsonNode s = rows.get(2);
      assertThat(s.path("node").asText()).isEqualTo("SIN");
      assertThat(s.path("answered").asBoolean()).as(s.toString()).isTrue();
      assertThat(s.path("failure").asText()).isEqualTo("UNREACHABLE");
      assertThat(s.path("code").asInt()).isEqualTo(523);
      assertThat(s.path("exit_code").asInt()).isEqualTo(1);
    }
  }
}
