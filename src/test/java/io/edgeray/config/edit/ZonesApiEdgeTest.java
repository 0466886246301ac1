package io.edgeray.config.edit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeray.admin.Tokens;
import io.edgeray.testing.AdminClient;
import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.Fault;
import io.edgeray.testing.FaultyOrigin;
import io.edgeray.testing.RawClient;
import io.edgeray.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The zones, records, settings and origin routes against a running edge: a change answers only
 * once it is live for the next visitor and the next DNS query, is in the file for the next start,
 * and a refused one leaves both the edge and the file as they were. 203.0.113.10 is a
 * documentation address, only ever a DNS answer.
 */
class ZonesApiEdgeTest {
  private static final String EXTRA = """
      admin: 127.0.0.1:0
      dns: 127.0.0.1:0
      edge:
        addresses: [203.0.113.10]
      """;

  @RegisterExtension final EdgeExtension edge = EdgeExtension.create();
  @TempDir Path pkiDir;
  private final List<FaultyOrigin> origins = new java.util.ArrayList<>();

  @AfterEach
  void closeOrigins() {
    origins.forEach(FaultyOrigin::close);
  }

  private FaultyOrigin origin(FaultyOrigin o) {
    origins.add(o);
    return o;
  }

  private static String shop(String settings) {
    return "  - name: shop.example\n"
        + settings.lines().map(l -> "    " + l + "\n").reduce("", String::concat)
        + "    records:\n"
        + "      - { type: A, name: \"@\", content: 127.0.0.1, proxied: true }   # the shop\n"
        + "      - { type: A, name: www, content: 127.0.0.1, proxied: true }\n";
  }

  /** With the edit token the edge made for its host (the config has no admin.tokens). */
  private AdminClient.Response admin(String method, String path, String body) throws Exception {
    return edge.admin().send(method, path, body);
  }

  private static JsonNode json(AdminClient.Response r) {
    assertThat(r.header("content-type")).isEqualTo("application/json");
    return r.json();
  }

  private String recordId(String name) throws Exception {
    for (JsonNode r : json(admin("GET", "/api/zones/shop.example/records", null))) {
      if (r.get("name").asText().equals(name)) return r.get("id").asText();
    }
    throw new AssertionError("no record " + name);
  }

  private List<String> dnsA(String name) throws Exception {
    SimpleResolver resolver = new SimpleResolver(edge.node().dnsAddress());
    resolver.setTimeout(Duration.ofSeconds(3));
    Message answer = resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name + "."), Type.A, DClass.IN)));
    return answer.getSection(Section.ANSWER).stream().map(Record::rdataToString).toList();
  }

  @Test
  void switchingARecordToDnsOnlyChangesTheEdgesDnsAnswerAndItsVisitorsGet1001() throws Exception {
    FaultyOrigin web = origin(FaultyOrigin.start());
    edge.start(EXTRA, shop("origin_ports: { http: " + web.port() + " }"));
    assertThat(dnsA("www.shop.example")).containsExactly("203.0.113.10");
    assertThat(edge.get("www.shop.example", "/").status()).isEqualTo(200);

    AdminClient.Response r = admin("PATCH", "/api/zones/shop.example/records/" + recordId("www.shop.example"), "{\"proxied\": false}");

    assertThat(r.status()).isEqualTo(200);
    assertThat(json(r).get("proxied").asBoolean()).isFalse();
    assertThat(r.header("cache-control")).isEqualTo("no-store");
    assertThat(dnsA("www.shop.example")).containsExactly("127.0.0.1");
    RawClient.Response visitor = edge.get("www.shop.example", "/");
    assertThat(visitor.status()).isEqualTo(530);
    assertThat(visitor.body()).contains("Error 1001");
    assertThat(edge.logLine(visitor.header("edge-ray")).get("edge_code").asInt()).isEqualTo(1001);
    assertThat(dnsA("shop.example")).containsExactly("203.0.113.10"); // the other record is still proxied
    assertThat(Files.readString(edge.configFile()))
        .contains("      - { type: A, name: www, content: 127.0.0.1, proxied: false }\n")
        .contains("      - { type: A, name: \"@\", content: 127.0.0.1, proxied: true }   # the shop\n");
  }

  @Test
  void aZoneAnswersTheNamesExpiryAndIssuerOfTheCertificateItServes() throws Exception {
    TestPki pki = new TestPki(pkiDir);
    java.time.Instant notAfter = java.time.Instant.parse("2031-05-17T08:30:00Z");
    TestPki.Leaf leaf = pki.leaf("shop.example", "*.shop.example")
        .valid(java.time.Instant.now().minus(Duration.ofDays(1)), notAfter).issue();
    edge.https().start(EXTRA, shop(leaf.yaml() + "\n") + "  - name: blog.example\n    records: []\n");

    JsonNode cert = json(admin("GET", "/api/zones/shop.example", null)).get("certificate");

    assertThat(cert.get("names").toString()).isEqualTo("[\"shop.example\",\"*.shop.example\"]");
    assertThat(cert.get("not_after").asText()).isEqualTo("2031-05-17T08:30:00Z");
    assertThat(cert.get("issuer").asText()).isEqualTo(pki.ca().getSubjectX500Principal().getName());
    assertThat(json(admin("GET", "/api/zones/blog.example", null)).get("certificate").isNull()).isTrue();
  }

  @Test
  void fullStrictInFrontOfASelfSignedOriginGives526() throws Exception {
    TestPki pki = new TestPki(pkiDir);
    FaultyOrigin selfSigned = origin(FaultyOrigin.startTls(pki, Fault.SELF_SIGNED_CERTIFICATE, "shop.example"));
    String cert = pki.issue("shop.example").yaml();
    edge.https().start(EXTRA, shop("ssl: full\norigin_ports: { https: " + selfSigned.port() + " }\n" + cert));
    assertThat(edge.getTls(pki.clientContext(), "shop.example", "/").status()).isEqualTo(200); // full does not check

    AdminClient.Response r = admin("PATCH", "/api/zones/shop.example/settings", "{\"ssl\": \"full_strict\"}");

    assertThat(r.status()).isEqualTo(200);
    assertThat(json(r).get("ssl").asText()).isEqualTo("full_strict");
    RawClient.Response visitor = edge.getTls(pki.clientContext(), "shop.example", "/");
    assertThat(visitor.status()).isEqualTo(526);
    assertThat(visitor.header("proxy-status")).contains("tls_certificate_error");
    assertThat(Files.readString(edge.configFile())).contains("    ssl: full_strict\n");
  }

  @Test
  void aBadRecordContentIs422WithItsFieldAndChangesNothing() throws Exception {
    edge.start(EXTRA, shop(""));
    String before = Files.readString(edge.configFile());

    AdminClient.Response r = admin("POST", "/api/zones/shop.example/records",
        "{\"type\": \"A\", \"name\": \"api\", \"content\": \"10.0.0.300\", \"proxied\": true}");

    assertThat(r.status()).isEqualTo(422);
    JsonNode error = json(r).get("error");
    assertThat(error.get("code").asText()).isEqualTo("invalid_value");
    assertThat(error.get("field").asText()).isEqualTo("zones[0].records[2].content");
    assertThat(error.get("message").asText()).isEqualTo("\"10.0.0.300\" is not an IPv4 address");
    assertThat(Files.readString(edge.configFile())).isEqualTo(before);
    assertThat(json(admin("GET", "/api/zones/shop.example/records", null))).hasSize(2);
    assertThat(dnsA("api.shop.example")).isEmpty();
  }

  @Test
  void aChangeMadeOverTheETagOfAReadIsMadeAndOneOverAnOlderETagIs409() throws Exception {
    edge.start(EXTRA, shop(""));
    String etag = admin("GET", "/api/zones/shop.example", null).header("etag");
    assertThat(etag).matches("\"[0-9a-f]{64}\"");
    assertThat(admin("GET", "/api/zones", null).header("etag")).isEqualTo(etag);

    AdminClient.Response made = edge.admin().header("If-Match", etag).patch("/api/zones/shop.example/settings", "{\"paused\": true}");
    assertThat(made.status()).isEqualTo(200);
    String after = admin("GET", "/api/zones/shop.example", null).header("etag");
    assertThat(after).isNotEqualTo(etag);

    AdminClient.Response stale = edge.admin().header("If-Match", etag).patch("/api/zones/shop.example/settings", "{\"paused\": false}");
    assertThat(stale.status()).isEqualTo(409);
    assertThat(json(stale).get("error").get("code").asText()).isEqualTo("config_changed");
    assertThat(Files.readString(edge.configFile())).contains("    paused: true\n");
  }

  @Test
  void aHandEditSinceTheLastLoadMakesTheNextChangeA409UntilAReload() throws Exception {
    edge.start(EXTRA, shop(""));
    Path file = edge.configFile();
    String handEdited = Files.readString(file).replace("# the shop\n", "# the shop, edited by hand\n");
    Files.writeString(file, handEdited);

    AdminClient.Response refused = admin("PATCH", "/api/zones/shop.example/settings", "{\"paused\": true}");

    assertThat(refused.status()).isEqualTo(409);
    assertThat(json(refused).get("error").get("code").asText()).isEqualTo("config_changed_on_disk");
    assertThat(Files.readString(file)).isEqualTo(handEdited);
    assertThat(edge.get("shop.example", "/").status()).isNotEqualTo(530); // not paused

    assertThat(admin("POST", "/reload", null).status()).isEqualTo(200);
    assertThat(admin("PATCH", "/api/zones/shop.example/settings", "{\"paused\": true}").status()).isEqualTo(200);
    assertThat(Files.readString(file)).contains("# the shop, edited by hand\n").contains("    paused: true\n");
  }

  @Test
  void aRestartOnTheSameFileKeepsTheChange() throws Exception {
    edge.start(EXTRA, shop(""));
    String id = recordId("www.shop.example");
    assertThat(admin("PATCH", "/api/zones/shop.example/settings", "{\"paused\": true}").status()).isEqualTo(200);
    assertThat(admin("DELETE", "/api/zones/shop.example/records/" + id, null).status()).isEqualTo(200);

    edge.restart();

    JsonNode zone = json(admin("GET", "/api/zones/shop.example", null));
    assertThat(zone.get("paused").asBoolean()).isTrue();
    assertThat(zone.get("records")).extracting(r -> r.get("name").asText()).containsExactly("shop.example");
    RawClient.Response visitor = edge.get("shop.example", "/");
    assertThat(visitor.status()).isEqualTo(530);
    assertThat(visitor.body()).contains("Error 1018");
    try (Stream<Path> files = Files.list(edge.dir())) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    }
  }

  @Test
  void aRayInFlightFinishesOnTheConfigItStartedWith() throws Exception {
    FaultyOrigin slow = origin(FaultyOrigin.start(Fault.SLOW_HEAD).slowDelay(Duration.ofMillis(1500)).summaryEcho("old"));
    FaultyOrigin fresh = origin(FaultyOrigin.start().summaryEcho("new"));
    edge.start(EXTRA, shop("origin_ports: { http: " + slow.port() + " }"));
    CompletableFuture<RawClient.Response> inFlight = CompletableFuture.supplyAsync(() -> {
      try {
        return edge.get("shop.example", "/");
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    slow.awaitRequests(1, Duration.ofSeconds(5)); // the ray reached the old origin before the change: it waits there for its answer

    AdminClient.Response r = admin("PATCH", "/api/zones/shop.example/settings", "{\"origin_ports\": {\"http\": " + fresh.port() + "}}");

    assertThat(r.status()).isEqualTo(200);
    assertThat(edge.get("shop.example", "/").body()).startsWith("origin=new ");
    RawClient.Response old = inFlight.get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(old.status()).isEqualTo(200);
    assertThat(old.body()).startsWith("origin=old ");
  }

  @Test
  void disablingAPoolOriginTakesItOutOfRotation() throws Exception {
    FaultyOrigin a = origin(FaultyOrigin.start().summaryEcho("a"));
    FaultyOrigin b = origin(FaultyOrigin.start().summaryEcho("b"));
    String pools = EXTRA + "pools:\n  - name: web\n    steering: round_robin\n    origins:\n"
        + "      - { name: a, address: 127.0.0.1, port: " + a.port() + " }\n"
        + "      - { name: b, address: 127.0.0.1, port: " + b.port() + " }\n";
    edge.start(pools, "  - name: shop.example\n    load_balancers: [ { name: \"@\", pool: web } ]\n");

    AdminClient.Response r = admin("POST", "/api/pools/web/origins/a", "{\"enabled\": false}");

    assertThat(r.status()).isEqualTo(200);
    assertThat(json(r).get("enabled").asBoolean()).isFalse();
    for (int i = 0; i < 4; i++) assertThat(edge.get("shop.example", "/").body()).startsWith("origin=b ");
    assertThat(Files.readString(edge.configFile())).contains("- { name: a, address: 127.0.0.1, port: " + a.port() + ", enabled: false }\n");
    assertThat(admin("POST", "/api/pools/web/origins/a", "{\"enabled\": \"no\"}").status()).isEqualTo(422);
    assertThat(admin("POST", "/api/pools/web/origins/zz", "{\"enabled\": true}").status()).isEqualTo(404);
  }

  @Test
  void zonesAreListedWithTheirSettingsAndUnknownNamesOrBadJsonAreRefusedWithJsonErrors() throws Exception {
    edge.start(EXTRA, shop("timeouts: { read: 30s }"));
    JsonNode zones = json(admin("GET", "/api/zones", null));
    assertThat(zones).hasSize(1);
    assertThat(zones.get(0).get("name").asText()).isEqualTo("shop.example");
    assertThat(zones.get(0).get("records").asInt()).isEqualTo(2);
    assertThat(zones.get(0).get("ssl").asText()).isEqualTo("full");
    assertThat(zones.get(0).get("timeouts").get("read").asText()).isEqualTo("30s");
    assertThat(zones.get(0).get("timeouts").get("connect").asText()).isEqualTo("19s");

    AdminClient.Response unknownZone = admin("GET", "/api/zones/nope.example", null);
    assertThat(unknownZone.status()).isEqualTo(404);
    assertThat(json(unknownZone).get("error").get("code").asText()).isEqualTo("no_such_zone");
    assertThat(admin("DELETE", "/api/zones/shop.example/records/000000000000", null).status()).isEqualTo(404);
    AdminClient.Response malformed = admin("PATCH", "/api/zones/shop.example/settings", "{\"paused\": tru");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(json(malformed).get("error").get("code").asText()).isEqualTo("malformed_json");
    AdminClient.Response notASetting = admin("PATCH", "/api/zones/shop.example/settings", "{\"name\": \"other.example\"}");
    assertThat(notASetting.status()).isEqualTo(422);
    assertThat(json(notASetting).get("error").get("field").asText()).isEqualTo("zones[0].name");
    assertThat(admin("PUT", "/api/zones/shop.example/settings", "{}").status()).isEqualTo(405);
  }

  @Test
  void aReadTokenCannotChangeAnythingAndEveryChangeIsAuditedWithItsTokenAndWords() throws Exception {
    String edit = Tokens.create();
    String read = Tokens.create();
    String tokens = "admin:\n  listen: 127.0.0.1:0\n  tokens:\n"
        + "    - { name: ci, scope: edit, hash: \"" + Tokens.hash(edit) + "\" }\n"
        + "    - { name: viewer, scope: read, hash: \"" + Tokens.hash(read) + "\" }\n";
    edge.start(tokens, shop(""));
    String before = Files.readString(edge.configFile());

    assertThat(edge.admin().withoutToken().get("/api/zones").status()).isEqualTo(401);
    assertThat(edge.admin().as(read).get("/api/zones").status()).isEqualTo(200);
    AdminClient.Response refused = edge.admin().as(read).patch("/api/zones/shop.example/settings", "{\"paused\": true}");
    assertThat(refused.status()).isEqualTo(403);
    assertThat(Files.readString(edge.configFile())).isEqualTo(before);

    assertThat(edge.admin().as(edit).patch("/api/zones/shop.example/settings", "{\"paused\": true}").status()).isEqualTo(200);
    assertThat(edge.admin().as(edit).patch("/api/zones/shop.example/settings", "{\"paused\": 3}").status()).isEqualTo(422);
    JsonNode entries = edge.admin().as(read).get("/api/audit?limit=2").json().get("entries");
    assertThat(entries.get(1).get("token").asText()).isEqualTo("ci");
    assertThat(entries.get(1).get("path").asText()).isEqualTo("/api/zones/shop.example/settings");
    assertThat(entries.get(1).get("change").asText()).isEqualTo("zone shop.example: settings {\"paused\":true}");
    assertThat(entries.get(1).get("status").asInt()).isEqualTo(200);
    assertThat(entries.get(0).get("change").asText()).isEqualTo("zone shop.example: settings {\"paused\":3}");
    assertThat(entries.get(0).get("result").asText()).isEqualTo("refused");
  }
}
