package io.edgeray.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeray.testing.Await;
import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.FaultyOrigin;
import io.edgeray.testing.RawClient;
import io.edgeray.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Each zone's certificate is picked by SNI; a name no certificate covers, or no name, fails the handshake. */
class SniCertificateTest {
  @RegisterExtension static final EdgeExtension edge = EdgeExtension.create().node("SNI").https().perClass();
  @TempDir static Path dir;
  static TestPki pki;
  static final List<FaultyOrigin> origins = new ArrayList<>();
  static TestPki.Leaf alpha;
  static TestPki.Leaf beta;

  @BeforeAll
  static void start() throws Exception {
    pki = new TestPki(dir.resolve("pki"));
    int http = origin(FaultyOrigin.start().summaryEcho("sni-origin"));
    // an RSA key written as PKCS#1 and an EC key written as SEC1: both forms load
    alpha = pki.leaf("alpha.test", "*.alpha.test").file("alpha").rsa().keyForm(TestPki.KeyForm.TRADITIONAL).issue();
    beta = pki.leaf("beta.test", "www.beta.test").file("beta").valid(java.time.Instant.now().minusSeconds(60),
        java.time.Instant.now().plusSeconds(86400)).keyForm(TestPki.KeyForm.TRADITIONAL).issue();
    assertThat(Files.readString(alpha.files().key())).startsWith("-----BEGIN RSA PRIVATE KEY-----");
    assertThat(Files.readString(beta.files().key())).startsWith("-----BEGIN EC PRIVATE KEY-----");
    String ports = "ssl: flexible\norigin_ports: { http: " + http + " }\n";
    edge.start(EdgeExtension.zone("alpha.test", ports + alpha.yaml())
        + EdgeExtension.zone("beta.test", ports + beta.yaml())
        + EdgeExtension.zone("gamma.test", ports));
  }

  @AfterAll
  static void stop() {
    origins.forEach(FaultyOrigin::close);
  }

  @Test
  void sniPicksTheCertificateOfTheZoneThatOwnsTheName() throws Exception {
    assertThat(served("alpha.test")).isEqualTo(alpha.cert());
    assertThat(served("www.alpha.test")).as("by the wildcard").isEqualTo(alpha.cert());
    assertThat(served("beta.test")).isEqualTo(beta.cert());
    assertThat(served("www.beta.test")).isEqualTo(beta.cert());
    assertThat(edge.getTls(pki.clientContext(), "www.alpha.test", "/").body()).startsWith("origin=sni-origin");
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
    TestPki.Leaf next = pki.leaf("beta.test", "www.beta.test").file("beta-next").issue();
    // write beside, then move into place, as certificate tools do
    Files.copy(next.files().key(), beta.files().key().resolveSibling("beta.key.tmp"), StandardCopyOption.REPLACE_EXISTING);
    Files.copy(next.files().cert(), beta.files().cert().resolveSibling("beta.crt.tmp"), StandardCopyOption.REPLACE_EXISTING);
    Files.move(beta.files().key().resolveSibling("beta.key.tmp"), beta.files().key(), StandardCopyOption.REPLACE_EXISTING);
    Files.move(beta.files().cert().resolveSibling("beta.crt.tmp"), beta.files().cert(), StandardCopyOption.REPLACE_EXISTING);
    X509Certificate[] seen = {served("beta.test")};
    Await.until(EdgeTls.POLL.multipliedBy(4), () -> {
      try {
        seen[0] = served("beta.test");
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      return seen[0].equals(next.cert());
    }, "the new beta.test certificate served");
    assertThat(seen[0].getSerialNumber()).isEqualTo(next.cert().getSerialNumber());
  }

  /** The leaf certificate the edge shows for an SNI name (null: none sent). */
  private static X509Certificate served(String sni) throws Exception {
    try (SSLSocket s = RawClient.tlsSocket(edge.httpsAddress(), pki.clientContext(), sni)) {
      return (X509Certificate) s.getSession().getPeerCertificates()[0];
    }
  }

  /** Keeps the origin to close after the class; returns its port. */
  private static int origin(FaultyOrigin o) {
    origins.add(o);
    return o.port();
  }
}
