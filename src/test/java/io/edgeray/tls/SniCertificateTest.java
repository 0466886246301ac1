package io.edgeray.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each zone's certificate is picked by SNI; a name no certificate covers, or no name, fails the handshake. */
class SniCertificateTest {
  @TempDir static Path dir;
  static TestPki pki;
  static TestOrigins origins;
  static TestEdge edge;
  static TestPki.Issued alpha;
  static TestPki.Issued beta;

  @BeforeAll
  static void start() throws Exception {
    pki = new TestPki(dir.resolve("pki"));
    origins = new TestOrigins();
    int http = origins.http("sni-origin");
    // an RSA key written as PKCS#1 and an EC key written as SEC1: both forms load
    alpha = pki.issueWith("alpha", TestPki.rsa(), List.of("alpha.test", "*.alpha.test"), TestPki.KeyForm.TRADITIONAL);
    beta = pki.issue("beta", List.of("beta.test", "www.beta.test"), List.of(), java.time.Instant.now().minusSeconds(60),
        java.time.Instant.now().plusSeconds(86400), TestPki.KeyForm.TRADITIONAL);
    assertThat(Files.readString(alpha.files().key())).startsWith("-----BEGIN RSA PRIVATE KEY-----");
    assertThat(Files.readString(beta.files().key())).startsWith("-----BEGIN EC PRIVATE KEY-----");
    String ports = "ssl: flexible\norigin_ports: { http: " + http + " }\n";
    edge = TestEdge.start(dir, "SNI", TestEdge.zone("alpha.test", ports + TestEdge.certificate(alpha.files()))
        + TestEdge.zone("beta.test", ports + TestEdge.certificate(beta.files()))
        + TestEdge.zone("gamma.test", ports));
  }

  @AfterAll
  static void stop() {
    if (edge != null) edge.close();
    if (origins != null) origins.close();
  }

  @Test
  void sniPicksTheCertificateOfTheZoneThatOwnsTheName() throws Exception {
    assertThat(served("alpha.test")).isEqualTo(alpha.cert());
    assertThat(served("www.alpha.test")).as("by the wildcard").isEqualTo(alpha.cert());
    assertThat(served("beta.test")).isEqualTo(beta.cert());
    assertThat(served("www.beta.test")).isEqualTo(beta.cert());
    assertThat(Visitor.get(edge.httpsPort(), pki.clientContext(), "www.alpha.test", "/").body()).startsWith("origin=sni-origin");
  }

  @Test
  void aNameNoCertificateCoversFailsTheHandshakeInsteadOfShowingAnotherZonesCertificate() {
    for (String name : List.of("unknown.test", "gamma.test", "api.beta.test", "deep.www.alpha.test")) {
      assertThatThrownBy(() -> served(name)).as(name)
          .isInstanceOf(SSLHandshakeException.class).hasMessageContaining("unrecognized_name");
    }
  }

  @Test
  void aHandshakeWithoutSniFails() {
    assertThatThrownBy(() -> served(null)).isInstanceOf(SSLHandshakeException.class).hasMessageContaining("handshake_failure");
  }

  @Test
  void aCertificateChangedOnDiskIsServedWithoutARestart() throws Exception {
    TestPki.Issued next = pki.issue("beta-next", List.of("beta.test", "www.beta.test"));
    // write beside, then move into place, as certificate tools do
    Files.copy(next.files().key(), beta.files().key().resolveSibling("beta.key.tmp"), StandardCopyOption.REPLACE_EXISTING);
    Files.copy(next.files().cert(), beta.files().cert().resolveSibling("beta.crt.tmp"), StandardCopyOption.REPLACE_EXISTING);
    Files.move(beta.files().key().resolveSibling("beta.key.tmp"), beta.files().key(), StandardCopyOption.REPLACE_EXISTING);
    Files.move(beta.files().cert().resolveSibling("beta.crt.tmp"), beta.files().cert(), StandardCopyOption.REPLACE_EXISTING);
    long deadline = System.nanoTime() + EdgeTls.POLL.multipliedBy(4).toNanos();
    X509Certificate seen = served("beta.test");
    while (!seen.equals(next.cert()) && System.nanoTime() < deadline) {
      Thread.sleep(200);
      seen = served("beta.test");
    }
    assertThat(seen.getSerialNumber()).isEqualTo(next.cert().getSerialNumber());
  }

  /** The leaf certificate the edge shows for an SNI name (null: none sent). */
  private static X509Certificate served(String sni) throws Exception {
    try (Socket s = Visitor.open(edge.httpsPort(), pki.clientContext(), sni)) {
      return (X509Certificate) ((SSLSocket) s).getSession().getPeerCertificates()[0];
    }
  }
}
