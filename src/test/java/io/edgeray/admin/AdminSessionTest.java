package io.edgeray.admin;

import static io.edgeray.testing.EdgeExtension.zone;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeray.testing.AdminClient;
import io.edgeray.testing.EdgeExtension;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The dashboard's session: sign-in, the cookie, CSRF on every change, and the sign-in limit. */
class AdminSessionTest {
  @RegisterExtension final EdgeExtension edge = EdgeExtension.create();
  private AdminClient anonymous;

  @BeforeEach
  void start() throws Exception {
    edge.start(AdminTokens.yaml(), zone("shop.example", "origin_ports: { http: 9 }"));
    anonymous = edge.admin().withoutToken();
  }

  /** A signed-in client: its cookie on every request, and the session's answer. */
  private record Signed(AdminClient client, JsonNode session, String setCookie) {}

  private Signed signIn(String token) throws Exception {
    AdminClient.Response r = anonymous.post("/api/session", "{\"token\": \"" + token + "\"}");
    assertThat(r.status()).isEqualTo(200);
    String setCookie = r.header("set-cookie");
    String pair = setCookie.substring(0, setCookie.indexOf(';'));
    return new Signed(anonymous.header("Cookie", pair), r.json(), setCookie);
  }

  @Test
  void signInSetsAnHttpOnlySameSiteStrictCookieForTheWholePortAndAnswersNameScopeAndCsrf() throws Exception {
    Signed s = signIn(AdminTokens.EDIT);
    List<String> parts = Arrays.stream(s.setCookie().split(";")).map(String::trim).toList();
    assertThat(parts.get(0)).matches("edgeray_session=[^;]{16,}");
    assertThat(parts.subList(1, parts.size()).stream().map(p -> p.toLowerCase(Locale.ROOT)).toList())
        .containsExactlyInAnyOrder("path=/", "httponly", "samesite=strict"); // no Secure over plain HTTP
    assertThat(s.session().get("name").asText()).isEqualTo("ci");
    assertThat(s.session().get("scope").asText()).isEqualTo("edit");
    assertThat(s.session().get("csrf").asText()).hasSizeGreaterThan(20);
    AdminClient.Response who = s.client().get("/api/session");
    assertThat(who.status()).isEqualTo(200);
    assertThat(who.json()).isEqualTo(s.session());
  }

  @Test
  void aSessionReadsWithoutTheCsrfHeader() throws Exception {
    Signed s = signIn(AdminTokens.READ);
    assertThat(s.client().get("/api/pools").status()).isEqualTo(200);
  }

  @Test
  void aChangeWithASessionButNoOrAWrongCsrfHeaderIs403AndTheRightOneWorks() throws Exception {
    Signed s = signIn(AdminTokens.EDIT);
    AdminClient.Response none = s.client().post("/reload", "");
    assertThat(none.status()).isEqualTo(403);
    assertThat(none.errorCode()).isEqualTo("csrf_missing");
    AdminClient.Response wrong = s.client().header("X-CSRF-Token", "not-the-one").post("/reload", "");
    assertThat(wrong.status()).isEqualTo(403);
    assertThat(wrong.errorCode()).isEqualTo("csrf_invalid");
    AdminClient.Response right = s.client().header("X-CSRF-Token", s.session().get("csrf").asText()).post("/reload", "");
    assertThat(right.status()).isEqualTo(200);
  }

  @Test
  void aReadOnlySessionCannotChangeAnythingEvenWithItsCsrfValue() throws Exception {
    Signed s = signIn(AdminTokens.READ);
    AdminClient.Response r = s.client().header("X-CSRF-Token", s.session().get("csrf").asText()).post("/reload", "");
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.errorCode()).isEqualTo("scope_insufficient");
  }

  @Test
  void aCookieThatWasNeverSignedInIsNoSession() throws Exception {
    AdminClient forged = anonymous.header("Cookie", "edgeray_session=0123456789abcdef0123456789abcdef");
    assertThat(forged.get("/api/pools").status()).isEqualTo(401);
    assertThat(forged.get("/api/session").status()).isEqualTo(401);
  }

  @Test
  void signingOutEndsTheSession() throws Exception {
    Signed s = signIn(AdminTokens.READ);
    AdminClient withCsrf = s.client().header("X-CSRF-Token", s.session().get("csrf").asText());
    assertThat(withCsrf.delete("/api/session").status()).isEqualTo(200);
    assertThat(s.client().get("/api/pools").status()).isEqualTo(401);
  }

  @Test
  void afterFiveFailedSignInsAnAddressGets429WithRetryAfterEvenWithAGoodToken() throws Exception {
    for (int i = 0; i < 5; i++) {
      AdminClient.Response bad = anonymous.post("/api/session", "{\"token\": \"edr_guess" + i + "\"}");
      assertThat(bad.status()).isEqualTo(401);
      assertThat(bad.errorCode()).isEqualTo("invalid_token");
    }
    AdminClient.Response limited = anonymous.post("/api/session", "{\"token\": \"" + AdminTokens.EDIT + "\"}");
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.errorCode()).isEqualTo("too_many_sign_ins");
    assertThat(Integer.parseInt(limited.header("retry-after"))).isBetween(1, 60);
    assertThat(anonymous.as(AdminTokens.EDIT).get("/api/pools").status()).isEqualTo(200); // scripts' bearer tokens are not signed in
  }
}
