package io.edgeray.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.Fault;
import io.edgeray.testing.FaultyOrigin;
import io.edgeray.testing.H2Client;
import io.edgeray.testing.RawClient;
import io.edgeray.testing.TestPki;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The same TLS behaviour whichever TLS library the edge uses: each subclass starts an edge with
 * one provider (chosen by -Dedgeray.tls.provider while the edge builds its contexts).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TlsProviderScenarios {
  private static final ObjectMapper JSON = new ObjectMapper();
  @RegisterExtension final EdgeExtension edge = EdgeExtension.create().node("PRV").https().perClass();
  Path dir;
  TestPki pki;
  final List<FaultyOrigin> origins = new ArrayList<>();
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
    Instant now = Instant.now();
    TestPki.Leaf valid = pki.issue("valid.test");
    TestPki.Leaf expired = pki.leaf("expired.test").valid(now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1))).issue();
    TestPki.Leaf wrong = pki.leaf("elsewhere.test", "127.0.0.1").valid(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(9))).issue();
    int validPort = origin(FaultyOrigin.startTls(valid).summaryEcho("valid"));
    int expiredPort = origin(FaultyOrigin.startTls(expired).summaryEcho("expired"));
    int wrongPort = origin(FaultyOrigin.startTls(wrong).summaryEcho("wrong"));
    int plainPort = origin(FaultyOrigin.start(Fault.PLAIN_ON_TLS_PORT));
    String cert = pki.issue("valid.test", "expired.test", "wrong.test", "plain.test").yaml();
    String ca = "origin_ca: " + pki.caFile() + "\n";
    edge.start(
        EdgeExtension.zone("valid.test", "ssl: full_strict\n" + ca + "origin_ports: { https: " + validPort + " }\n" + cert)
        + EdgeExtension.zone("expired.test", "ssl: strict\n" + ca + "origin_ports: { https: " + expiredPort + " }\n" + cert)
        + EdgeExtension.zone("wrong.test", "ssl: strict\n" + ca + "origin_ports: { https: " + wrongPort + " }\n" + cert)
        + EdgeExtension.zone("plain.test", "ssl: full\norigin_ports: { https: " + plainPort + " }\n" + cert));
  }

  private int origin(FaultyOrigin o) {
    origins.add(o);
    return o.port();
  }

  @AfterAll
  void stop() {
    origins.forEach(FaultyOrigin::close);
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
    RawClient.Response res = edge.getTls(pki.clientContext(), "valid.test", "/");
    assertThat(res.status()).isEqualTo(200);
    assertThat(res.body()).startsWith("origin=valid scheme=https xfp=https sni=valid.test host=valid.test");
  }

  @Test
  void http2ReachesTheSameOrigin() throws Exception {
    try (H2Client h2 = new H2Client(edge.httpsPort(), "valid.test", pki.ca())) {
      assertThat(h2.protocol).isEqualTo("h2");
      assertThat(h2.send("GET", "valid.test", "/", null).body()).startsWith("origin=valid scheme=https xfp=https sni=valid.test");
    }
  }

  @Test
  void anExpiredOriginCertificateIs526() throws Exception {
    RawClient.Response res = edge.getTls(pki.clientContext(), "expired.test", "/");
    assertThat(res.status()).isEqualTo(526);
    assertThat(edge.logLine(res.header("edge-ray")).get("detail").asText()).startsWith("origin certificate expired: ");
  }

  @Test
  void aWrongNameIs526AndThePageDescribesTheCertificateWithoutAnyAddress() throws Exception {
    RawClient.Response res = edge.get("wrong.test", "/", "Accept: application/json");
    assertThat(res.status()).isEqualTo(526);
    JsonNode page = JSON.readTree(res.body());
    assertThat(page.get("detail").asText()).startsWith("origin certificate name mismatch: the certificate is not valid for wrong.test")
        .contains("SANs elsewhere.test;").doesNotContain("127.0.0.1");
    assertThat(edge.logLine(res.header("edge-ray")).get("detail").asText()).contains("IP 127.0.0.1");
  }

  @Test
  void plainHttpOnTheTlsPortIs525() throws Exception {
    RawClient.Response res = edge.getTls(pki.clientContext(), "plain.test", "/");
    assertThat(res.status()).isEqualTo(525);
    assertThat(res.header("proxy-status")).isEqualTo("edgeray-PRV; error=tls_protocol_error");
    assertThat(edge.logLine(res.header("edge-ray")).get("detail").asText())
        .startsWith("the origin did not answer with TLS (plain HTTP on the HTTPS port?)");
  }

  @Test
  void anUnknownNameFailsTheHandshake() {
    assertThatThrownBy(() -> RawClient.tlsSocket(edge.httpsAddress(), pki.clientContext(), "nobody.test").close())
        .isInstanceOf(SSLHandshakeException.class).hasMessageContaining("unrecognized_name");
  }
}
