package io.edgeray.admin;

import static io.edgeray.testing.EdgeExtension.zone;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgeray.testing.AdminClient;
import io.edgeray.testing.EdgeExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Bearer tokens and their scopes on every admin route (issue 13). */
class AdminAuthTest {
  private static final String ZONES = zone("shop.example", "origin_ports: { http: 9 }");

  @RegisterExtension final EdgeExtension edge = EdgeExtension.create();

  private AdminClient start(String adminYaml) throws Exception {
    edge.start(adminYaml, ZONES);
    return edge.admin().withoutToken();
  }

  @Test
  void noTokenGets401WithWwwAuthenticateBearerAndSaysHowToMakeOne() throws Exception {
    AdminClient.Response r = start(AdminTokens.yaml()).get("/api/pools");
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.header("www-authenticate")).isEqualTo("Bearer realm=\"edgeray\"");
    assertThat(r.header("content-type")).isEqualTo("application/json");
    assertThat(r.header("cache-control")).isEqualTo("no-store");
    assertThat(r.errorCode()).isEqualTo("token_missing");
    assertThat(r.json().path("error").path("message").asText()).contains("Authorization: Bearer", "./edgeray token create");
  }

  @Test
  void aTokenThatIsNotConfiguredGets401InvalidToken() throws Exception {
    AdminClient admin = start(AdminTokens.yaml());
    AdminClient.Response r = admin.as(Tokens.create()).get("/api/pools");
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.header("www-authenticate")).isEqualTo("Bearer realm=\"edgeray\", error=\"invalid_token\"");
    assertThat(r.errorCode()).isEqualTo("invalid_token");
    assertThat(admin.header("Authorization", "Basic Y2k6Y2k=").get("/api/pools").errorCode()).isEqualTo("invalid_token");
  }

  @Test
  void aReadTokenReadsButGets403OnEveryEditRoute() throws Exception {
    AdminClient viewer = start(AdminTokens.yaml()).as(AdminTokens.READ);
    assertThat(viewer.get("/api/pools").status()).isEqualTo(200);
    assertThat(viewer.get("/api/ips").status()).isEqualTo(200);
    AdminClient.Response reload = viewer.post("/reload", "");
    assertThat(reload.status()).isEqualTo(403);
    assertThat(reload.errorCode()).isEqualTo("scope_insufficient");
    assertThat(reload.json().path("error").path("message").asText()).isEqualTo(
        "the token viewer may only read; POST /reload needs an edit token");
    assertThat(viewer.post("/api/zones/shop.example/purge", "{\"everything\": true}").status()).isEqualTo(403);
  }

  @Test
  void anEditTokenReloadsAndPurges() throws Exception {
    AdminClient ci = start(AdminTokens.yaml()).as(AdminTokens.EDIT);
    AdminClient.Response reload = ci.post("/reload", "");
    assertThat(reload.status()).isEqualTo(200);
    assertThat(reload.body()).isEqualTo("reloaded\n");
    assertThat(ci.post("/api/zones/shop.example/purge", "{\"everything\": true}").body()).isEqualTo("{\"zone\":\"shop.example\",\"purged\":0}");
  }

  @Test
  void healthzIsOpenWithoutAToken() throws Exception {
    AdminClient.Response r = start(AdminTokens.yaml()).get("/healthz");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("ok T1\n");
  }

  @Test
  void metricsNeedAReadTokenUnlessMetricsArePublic() throws Exception {
    AdminClient admin = start(AdminTokens.yaml());
    assertThat(admin.get("/metrics").status()).isEqualTo(401);
    AdminClient.Response scraped = admin.as(AdminTokens.READ).get("/metrics");
    assertThat(scraped.status()).isEqualTo(200);
    assertThat(scraped.body()).contains("# TYPE edgeray_access_log_dropped_total counter");
    edge.stop();

    AdminClient open = start(AdminTokens.yaml("metrics_public: true"));
    assertThat(open.get("/metrics").status()).isEqualTo(200);
    assertThat(open.get("/api/pools").status()).isEqualTo(401);
  }

  @Test
  void withoutConfiguredTokensTheEdgeMakesAnEditTokenOnlyItsOwnerCanRead() throws Exception {
    AdminClient anonymous = start("admin: 127.0.0.1:0\n");
    Path file = edge.dir().resolve("state/admin-token");
    assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.readString(file)).matches("edr_[A-Za-z0-9_-]{43}\n");
    AdminClient.Response refused = anonymous.post("/reload", "");
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.json().path("error").path("message").asText()).contains(file.toString());
    assertThat(edge.admin().post("/reload", "").status()).isEqualTo(200);
  }

  @Test
  void theLocalTokenStopsWorkingOnceTheConfigHasTokens() throws Exception {
    start("admin: 127.0.0.1:0\n");
    String local = edge.admin().token();
    edge.rewrite(AdminTokens.yaml().replace("listen: 127.0.0.1:0", "listen: 127.0.0.1:" + edge.node().adminAddress().getPort()), ZONES);
    assertThat(edge.reload()).isNull();
    assertThat(edge.admin().as(local).get("/api/pools").status()).isEqualTo(401);
    assertThat(edge.admin().as(AdminTokens.READ).get("/api/pools").status()).isEqualTo(200);
  }

  @Test
  void aTokenRemovedFromTheConfigIsRefusedAfterTheReload() throws Exception {
    AdminClient admin = start(AdminTokens.yaml());
    assertThat(admin.as(AdminTokens.READ).get("/api/pools").status()).isEqualTo(200);
    String onlyCi = AdminTokens.yaml().lines().filter(l -> !l.contains("viewer")).reduce("", (a, l) -> a + l + "\n");
    edge.rewrite(onlyCi, ZONES);
    assertThat(edge.reload()).isNull();
    assertThat(admin.as(AdminTokens.READ).get("/api/pools").status()).isEqualTo(401);
    assertThat(admin.as(AdminTokens.EDIT).get("/api/pools").status()).isEqualTo(200);
  }

  @Test
  void anUnknownRouteOrMethodIsAJsonError() throws Exception {
    AdminClient ci = start(AdminTokens.yaml()).as(AdminTokens.EDIT);
    AdminClient.Response missing = ci.get("/api/nothing");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.errorCode()).isEqualTo("not_found");
    AdminClient.Response wrongMethod = ci.get("/reload");
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.errorCode()).isEqualTo("method_not_allowed");
  }
}
