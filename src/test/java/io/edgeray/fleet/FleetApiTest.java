package io.edgeray.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.edgeray.testing.AdminClient;
import io.edgeray.testing.Await;
import io.edgeray.testing.CliRun;
import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.EtcdProcess;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The admin API of a fleet node changes the fleet: a change made on one node is written to etcd
 * (compare-and-swap on the revision it was based on) and answered by every node; a purge on one
 * node is applied on every node before it answers; a token created for the fleet works everywhere.
 */
class FleetApiTest {
  private static final String RECORDS = "/api/zones/shop.test/records";
  private static EtcdProcess etcd;
  private static HttpServer origin;
  private static final AtomicInteger originHits = new AtomicInteger();

  @RegisterExtension final EdgeExtension a = EdgeExtension.create().node("AMS");
  @RegisterExtension final EdgeExtension b = EdgeExtension.create().node("FRA");

  private String prefix;

  @BeforeAll
  static void stores() throws Exception {
    etcd = EtcdProcess.started();
    origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    origin.setExecutor(Executors.newFixedThreadPool(4));
    origin.createContext("/", ex -> {
      try (ex) {
        originHits.incrementAndGet();
        byte[] body = ("copy of " + ex.getRequestURI().getPath()).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Cache-Control", "max-age=600");
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
      }
    });
    origin.start();
  }

  @AfterAll
  static void stop() {
    if (origin != null) origin.stop(0);
    if (etcd != null) etcd.close();
  }

  @AfterEach
  void etcdBack() throws Exception {
    if (!etcd.running()) etcd.start();
  }

  private void startBoth(String testName) throws Exception {
    prefix = "/" + testName;
    FleetFixture.write(etcd::url, prefix, FleetFixture.shared(origin.getAddress().getPort(), List.of("www"), ""));
    a.start(FleetFixture.nodeYaml(etcd.url(), prefix, "Amsterdam", ""), "");
    b.start(FleetFixture.nodeYaml(etcd.url(), prefix, "Frankfurt", ""), "");
  }

  private static String record(String name) {
    return "{\"type\": \"A\", \"name\": \"" + name + "\", \"content\": \"127.0.0.1\", \"proxied\": true}";
  }

  @Test
  void recordsAddedThroughNodeAsApiAreAnsweredByNodeBWithinOneSecondOver100Changes() throws Exception {
    startBoth("apiedit");
    AdminClient api = a.admin();
    List<Long> millis = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      String name = "r" + i;
      AdminClient.Response made = api.post(RECORDS, record(name));
      long t0 = System.nanoTime(); // from A's answer: what B then does by itself
      assertThat(made.status()).as(made.body()).isEqualTo(201);
      assertThat(made.json().get("name").asText()).isEqualTo(name + ".shop.test");
      Await.until(Duration.ofSeconds(1), () -> FleetFixture.status(b, name + ".shop.test") == 200,
          "node B answers " + name + ".shop.test, added through node A's API");
      millis.add((System.nanoTime() - t0) / 1_000_000);
      // A answered after it applied the change itself: its next answer has the record, with no waiting
      assertThat(FleetFixture.status(a, name + ".shop.test")).isEqualTo(200);
    }
    Collections.sort(millis);
    System.out.printf("fleet API change propagation over %d changes, node A's 201 to node B answering: median %d ms, max %d ms%n",
        millis.size(), millis.get(millis.size() / 2), millis.get(millis.size() - 1));
    assertThat(b.admin().get(RECORDS).json()).hasSize(101);
    assertThat(b.node().fleet().revision()).isEqualTo(a.node().fleet().revision());
    try (FleetConfigStore store = new FleetConfigStore(List.of(java.net.URI.create(etcd.url())), prefix)) {
      String yaml = store.read().yaml();
      assertThat(yaml).startsWith("zones:\n  - name: shop.test\n").contains("name: \"www\"").contains("r99");
    }
    Await.until(Duration.ofSeconds(1), () -> audit(a).contains("zone shop.test: add record {\\\"type\\\":\\\"A\\\",\\\"name\\\":\\\"r99\\\""),
        "A's audit log has the last change");
  }

  @Test
  void twoConflictingEditsOnTwoNodesBasedOnTheSameRevisionGiveOne200AndOne409() throws Exception {
    startBoth("conflict");
    long base = a.node().fleet().revision();
    Await.until(Duration.ofSeconds(2), () -> b.node().fleet().revision() == base, "B serves A's revision");
    String id = a.admin().get(RECORDS).json().get(0).get("id").asText();
    String basedOn = "\"" + base + "\""; // what both callers saw: GET /api/fleet/nodes config_revision

    AdminClient.Response onA = a.admin().header("If-Match", basedOn).patch(RECORDS + "/" + id, "{\"content\": \"127.0.0.2\"}");
    assertThat(onA.status()).as(onA.body()).isEqualTo(200);
    long written = a.node().fleet().revision();
    Await.until(Duration.ofSeconds(1), () -> b.node().fleet().revision() == written, "B applies A's change");
    AdminClient.Response onB = b.admin().header("If-Match", basedOn).patch(RECORDS + "/" + id, "{\"content\": \"127.0.0.3\"}");

    assertThat(onB.status()).as(onB.body()).isEqualTo(409);
    assertThat(onB.errorCode()).isEqualTo("fleet_config_changed");
    assertThat(onB.json().at("/error/message").asText()).isEqualTo("the fleet config changed at revision " + written
        + " since this change was based on it (revision " + base + "); nothing was changed: reload and try again");
    assertThat(b.node().fleet().revision()).isEqualTo(written);
    assertThat(b.admin().get(RECORDS).json().get(0).get("content").asText()).isEqualTo("127.0.0.2");
    Await.until(Duration.ofSeconds(1), () -> audit(b).contains("\"result\":\"refused\",\"status\":409"), "B's audit log has the 409");

    // a node whose copy is behind etcd's loses the race the same way: the write compares the revision
    try (FleetConfigStore store = new FleetConfigStore(List.of(java.net.URI.create(etcd.url())), prefix)) {
      String stale = FleetFixture.shared(origin.getAddress().getPort(), List.of("www", "stale"), "");
      assertThatThrownBy(() -> store.write(stale, base)).isInstanceOfSatisfying(FleetConfigStore.Changed.class, e -> {
        assertThat(e.current()).isEqualTo(written);
        assertThat(e.getMessage()).isEqualTo("the fleet config changed at revision " + written
            + " since this change was based on it (revision " + base + "); nothing was changed: reload and try again");
      });
      assertThat(store.read().revision()).isEqualTo(written);
    }
  }

  @Test
  void withEtcdDownAnApiEditAnswers503AndTheNodeKeepsItsConfig() throws Exception {
    startBoth("down");
    long revision = a.node().fleet().revision();
    AdminClient api = a.admin();
    etcd.stop();
    AdminClient.Response refused = api.post(RECORDS, record("lost"));
    assertThat(refused.status()).as(refused.body()).isEqualTo(503);
    assertThat(refused.errorCode()).isEqualTo("etcd_unreachable");
    assertThat(refused.json().at("/error/message").asText())
        .startsWith("the fleet config lives on etcd, which does not answer (etcd " + etcd.url())
        .endsWith("); nothing was changed");
    assertThat(api.get(RECORDS).json()).hasSize(1);
    assertThat(a.node().fleet().revision()).isEqualTo(revision);
    assertThat(FleetFixture.status(a, "www.shop.test")).isEqualTo(200);
    assertThat(FleetFixture.status(a, "lost.shop.test")).isNotEqualTo(200);
  }

  @Test
  void aPurgeOnNodeARemovesTheCopyOnNodeBBeforeItAnswers() throws Exception {
    startBoth("purge");
    Await.until(Duration.ofSeconds(5), () -> registered().size() == 2, "both nodes registered");
    b.get("www.shop.test", "/p.js");
    Await.until(Duration.ofSeconds(2), () -> cacheStatus(b, "/p.js").equals("HIT"), "B keeps a copy of /p.js");

    AdminClient.Response purged = a.admin().post("/api/zones/shop.test/purge", "{\"files\": [\"http://www.shop.test/p.js\"]}");

    assertThat(purged.status()).as(purged.body()).isEqualTo(200);
    assertThat(purged.json().get("confirmed").toString()).isEqualTo("[\"AMS\",\"FRA\"]");
    assertThat(purged.json().get("unconfirmed").toString()).isEqualTo("[]");
    assertThat(cacheStatus(b, "/p.js")).isEqualTo("MISS");
  }

  @Test
  void aPurgeWithARegisteredNodeThatIsGoneAnswersThatNodeUnconfirmed() throws Exception {
    startBoth("ghost");
    // what a node killed a moment ago leaves: its record, until its lease runs out
    etcd.put(prefix + "/nodes/LIS", "{\"name\":\"LIS\",\"location\":\"Lisbon\",\"admin_url\":null,\"version\":\"dev\","
        + "\"revision\":1,\"started\":\"2026-01-01T00:00:00Z\",\"seen\":\"2026-01-01T00:00:00Z\",\"config_problem\":null}");
    Await.until(Duration.ofSeconds(5), () -> registered().size() == 3, "AMS, FRA and LIS registered");

    long t0 = System.nanoTime();
    AdminClient.Response purged = a.admin().post("/api/zones/shop.test/purge", "{\"everything\": true}");
    long took = (System.nanoTime() - t0) / 1_000_000;

    assertThat(purged.status()).as(purged.body()).isEqualTo(200);
    assertThat(purged.json().get("confirmed").toString()).isEqualTo("[\"AMS\",\"FRA\"]");
    assertThat(purged.json().get("unconfirmed").toString()).isEqualTo("[\"LIS\"]");
    assertThat(took).isBetween(Fleet.CONFIRM.toMillis(), Fleet.CONFIRM.toMillis() + 3000);
  }

  @Test
  void purgesWaitingForTheirConfirmationsHoldNoAdminWorkerAndWatchEtcdRatherThanPoll() throws Exception {
    startBoth("waits");
    etcd.put(prefix + "/nodes/LIS", "{\"name\":\"LIS\",\"location\":\"Lisbon\",\"admin_url\":null,\"version\":\"dev\","
        + "\"revision\":1,\"started\":\"2026-01-01T00:00:00Z\",\"seen\":\"2026-01-01T00:00:00Z\",\"config_problem\":null}");
    Await.until(Duration.ofSeconds(5), () -> registered().size() == 3, "AMS, FRA and LIS registered");
    java.util.concurrent.ExecutorService callers = Executors.newFixedThreadPool(3);
    try (Etcd reader = new Etcd(List.of(java.net.URI.create(etcd.url())), Duration.ofSeconds(2))) {
      List<java.util.concurrent.Future<AdminClient.Response>> purges = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        purges.add(callers.submit(() -> a.admin().post("/api/zones/shop.test/purge", "{\"everything\": true}")));
      }
      // each waits 2 s for LIS, which never answers: more waits than the admin has workers (2)
      Await.until(Duration.ofSeconds(1), () -> purgesOn(reader) == 3, "the three purges written to etcd, all waiting at once");
      long rangesBefore = etcdRanges();

      AdminClient.Response made = a.admin().post(RECORDS, record("during"));

      assertThat(made.status()).as(made.body()).isEqualTo(201);
      assertThat(purges).as("A made the change while the three purges still waited").noneMatch(java.util.concurrent.Future::isDone);
      for (java.util.concurrent.Future<AdminClient.Response> p : purges) {
        AdminClient.Response purged = p.get(Fleet.CONFIRM.toMillis() + 5000, java.util.concurrent.TimeUnit.MILLISECONDS);
        assertThat(purged.status()).as(purged.body()).isEqualTo(200);
        assertThat(purged.json().get("confirmed").toString()).isEqualTo("[\"AMS\",\"FRA\"]");
        assertThat(purged.json().get("unconfirmed").toString()).isEqualTo("[\"LIS\"]");
      }
      // polled every 20 ms, the three 2 s waits read etcd some 300 times; watched, they read it not at all
      assertThat(etcdRanges() - rangesBefore).as("etcd reads while the purges waited").isLessThan(30);
    } finally {
      callers.shutdownNow();
    }
  }

  /** How many purges are on etcd under the test's prefix (their acks not counted). */
  private int purgesOn(Etcd reader) {
    try {
      String under = prefix + "/purges/";
      return (int) reader.list(under).stream().filter(e -> !e.key().substring(under.length()).contains("/")).count();
    } catch (Etcd.Unreachable e) {
      return -1;
    }
  }

  /** etcd's count of the reads it served (ranges, those inside transactions too), from its own metrics. */
  private static long etcdRanges() throws Exception {
    java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(etcd.url() + "/metrics")).timeout(Duration.ofSeconds(2)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    return r.body().lines().filter(l -> l.startsWith("etcd_mvcc_range_total ")).mapToLong(l -> (long) Double.parseDouble(l.split(" ")[1]))
        .findFirst().orElseThrow();
  }

  @Test
  void aTokenCreatedForTheFleetOnNodeAWorksOnNodeB() throws Exception {
    startBoth("token");
    long before = b.node().fleet().revision();
    CliRun made = CliRun.of("token", "create", "ci", "--scope", "edit", "--config", a.configFile().toString());
    assertThat(made.code()).as(made.err()).isZero();
    String token = made.out().lines().findFirst().orElseThrow();
    assertThat(token).startsWith("edr_");
    assertThat(made.out()).contains("Its hash is in the fleet's admin_tokens on etcd (" + prefix + "/config");
    Await.until(Duration.ofSeconds(1), () -> b.node().fleet().revision() > before, "B applies the fleet's new token");

    AdminClient.Response onB = b.admin().as(token).post(RECORDS, record("ci"));
    assertThat(onB.status()).as(onB.body()).isEqualTo(201);
    assertThat(b.admin().as("edr_nottherightone").get(RECORDS).status()).isEqualTo(401);
    AdminClient ci = b.admin().as(token);
    Await.until(Duration.ofSeconds(1), () -> audit(ci).contains("\"token\":\"ci\""), "B's audit log names ci");
    try (FleetConfigStore store = new FleetConfigStore(List.of(java.net.URI.create(etcd.url())), prefix)) {
      assertThat(store.read().yaml()).contains("admin_tokens:\n  - { name: ci, scope: edit, hash: \"sha256:")
          .doesNotContain(token);
    }
    CliRun again = CliRun.of("token", "create", "ci", "--scope", "read", "--config", b.configFile().toString());
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err()).contains("already has a token named ci");
  }

  @Test
  void fleetImportSharesTheFilesAdminTokensHashesOnly() throws Exception {
    startBoth("import");
    String hash = io.edgeray.admin.Tokens.hash("edr_imported-token-for-the-test");
    var file = a.dir().resolve("whole.yaml");
    Files.writeString(file, "node: ANY\nlisten: { http: 127.0.0.1:0 }\n"
        + "admin: { listen: 127.0.0.1:0, tokens: [ { name: ops, scope: read, hash: \"" + hash + "\" } ] }\n"
        + FleetFixture.shared(origin.getAddress().getPort(), List.of("www"), ""));
    long before = b.node().fleet().revision();
    CliRun imported = CliRun.of("fleet", "import", file.toString(), "--etcd", etcd.url(), "--prefix", prefix);
    assertThat(imported.code()).as(imported.err()).isZero();
    assertThat(imported.out()).contains("1 admin tokens");
    Await.until(Duration.ofSeconds(1), () -> b.node().fleet().revision() > before, "B applies the import");
    AdminClient ops = b.admin().as("edr_imported-token-for-the-test");
    assertThat(ops.get(RECORDS).status()).isEqualTo(200);
    assertThat(ops.post(RECORDS, record("nope")).status()).isEqualTo(403);
  }

  private static String audit(EdgeExtension edge) {
    try {
      return audit(edge.admin());
    } catch (java.io.IOException e) {
      return "";
    }
  }

  private static String audit(AdminClient api) {
    try {
      return api.get("/api/audit").body();
    } catch (java.io.IOException e) {
      return "";
    }
  }

  private List<String> registered() {
    try {
      List<String> names = new ArrayList<>();
      a.node().fleet().nodes().list().nodes().forEach(n -> names.add(n.name()));
      return names;
    } catch (FleetNodes.Unavailable e) {
      return List.of();
    }
  }

  private static String cacheStatus(EdgeExtension edge, String path) {
    try {
      String s = edge.get("www.shop.test", path).header("edge-cache-status");
      return s == null ? "" : s;
    } catch (java.io.IOException e) {
      return "";
    }
  }
}
