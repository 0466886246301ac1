package io.edgeray.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The same TLS behaviour whichever TLS library the edge uses: each subclass starts an edge with
 * one provider (chosen by -Dedgeray.tls.provider while the edge builds its contexts).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TlsProviderScenarios {
  private static final ObjectMapper JSON = new ObjectMapper();
  Path dir;
  TestPki pki;
  TestOrigins origins;
  TestEdge edge;
  private String previous;

  /** The value of edgeray.tls.provider for this run ("" for the default choice). */
  abstract String providerProperty();

  abstract SslProvider expectedProvider();

  /** Skips the class (with an assumption) when its provider cannot run here. */
  void assumeUsable() {}

  @BeforeAll
  void start() throws Exception {
    assumeUsable();
    previous = System.getProperty("edgeray.tls.provider");
    System.setProperty("edgeray.tls.provider", providerProperty());
    assertThat(TlsContexts.provider()).isEqualTo(expectedProvider());
    dir = Files.createTempDirectory("edgeray-tls-" + expectedProvider());
    pki = new TestPki(dir.resolve("pki"));
    origins = new TestOrigins();
    Instant now = Instant.now();
    TestPki.Issued valid = pki.issue("valid", List.of("valid.test"));
    TestPki.Issued expired = pki.issue("expired", List.of("expired.test"), List.of(), now.minus(Duration.ofDays(30)),
        now.minus(Duration.ofDays(1)), TestPki.KeyForm.PKCS8);
    TestPki.Issued wrong = pki.issue("wrong", List.of("elsewhere.test"), List.of("127.0.0.1"), now.minus(Duration.ofDays(1)),
        now.plus(Duration.ofDays(9)), TestPki.KeyForm.PKCS8);
    int validPort = origins.https("valid", SslContextBuilder.forServer(valid.key(), valid.cert(), pki.ca).build());
    int expiredPort = origins.https("expired", SslContextBuilder.forServer(expired.key(), expired.cert(), pki.ca).build());
    int wrongPort = origins.https("wrong", SslContextBuilder.forServer(wrong.key(), wrong.cert(), pki.ca).build());
    int plainPort = origins.plainOnTlsPort();
    String cert = TestEdge.certificate(pki.issue("visitors", List.of("valid.test", "expired.test", "wrong.test", "plain.test")).files());
    String ca = "origin_ca: " + pki.caFile + "\n";
    edge = TestEdge.start(dir, "PRV",
        TestEdge.zone("valid.test", "ssl: full_strict\n" + ca + "origin_ports: { https: " + validPort + " }\n" + cert)
        + TestEdge.zone("expired.test", "ssl: strict\n" + ca + "origin_ports: { https: " + expiredPort + " }\n" + cert)
        + TestEdge.zone("wrong.test", "ssl: strict\n" + ca + "origin_ports: { https: " + wrongPort + " }\n" + cert)
        + TestEdge.zone("plain.test", "ssl: full\norigin_ports: { https: " + plainPort + " }\n" + cert));
  }

  @AfterAll
  void stop() {
    if (edge != null) edge.close();
    if (origins != null) origins.close();
    if (previous == null) System.clearProperty("edgeray.tls.provider"); else System.setProperty("edgeray.tls.provider", previous);
    if (dir != null) {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (java.io.IOException e) {
        // a temp directory left behind
      }
    }
  }

  @Test
  void aValidOriginIsReachedOverTlsWithTheVisitorsHostAsSni() throws Exception {
    Visitor.Response res = Visitor.get(edge.httpsPort(), pki.clientContext(), "valid.test", "/");
    assertThat(res.status()).isEqualTo(200);
    assertThat(res.body()).startsWith("origin=valid scheme=https xfp=https sni=valid.test host=valid.test");
  }

  @Test
  void http2ReachesTheSameOrigin() throws Exception {
    try (H2Client h2 = new H2Client(edge.httpsPort(), "valid.test", pki.ca)) {
      assertThat(h2.protocol).isEqualTo("h2");
      assertThat(h2.send("GET", "valid.test", "/", null).body()).startsWith("origin=valid scheme=https xfp=https sni=valid.test");
    }
  }

  @Test
  void anExpiredOriginCertificateIs526() throws Exception {
    Visitor.Response res = Visitor.get(edge.httpsPort(), pki.clientContext(), "expired.test", "/");
    assertThat(res.status()).isEqualTo(526);
    assertThat(edge.logLine(res.header("edge-ray")).get("detail").asText()).startsWith("origin certificate expired: ");
  }

  @Test
  void aWrongNameIs526AndThePageDescribesTheCertificateWithoutAnyAddress() throws Exception {
    Visitor.Response res = Visitor.get(edge.httpPort(), null, "wrong.test", "/", "Accept", "application/json");
    assertThat(res.status()).isEqualTo(526);
    JsonNode page = JSON.readTree(res.body());
    assertThat(page.get("detail").asText()).startsWith("origin certificate name mismatch: the certificate is not valid for wrong.test")
        .contains("SANs elsewhere.test;").doesNotContain("127.0.0.1");
    assertThat(edge.logLine(res.header("edge-ray")).get("detail").asText()).contains("IP 127.0.0.1");
  }

  @Test
  void plainHttpOnTheTlsPortIs525() throws Exception {
    Visitor.Response res = Visitor.get(edge.httpsPort(), pki.clientContext(), "plain.test", "/");
    assertThat(res.status()).isEqualTo(525);
    assertThat(res.header("proxy-status")).isEqualTo("edgeray-PRV; error=tls_protocol_error");
    assertThat(edge.logLine(res.header("edge-ray")).get("detail").asText())
        .startsWith("the origin did not answer with TLS (plain HTTP on the HTTPS port?)");
  }

  @Test
  void anUnknownNameFailsTheHandshake() {
    assertThatThrownBy(() -> Visitor.open(edge.httpsPort(), pki.clientContext(), "nobody.test").close())
        .isInstanceOf(SSLHandshakeException.class).hasMessageContaining("unrecognized_name");
  }
}
