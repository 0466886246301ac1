package io.edgeray.admin;

import static io.edgeray.testing.EdgeExtension.zone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeray.config.ConfigException;
import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.RawClient;
import io.edgeray.testing.TestPki;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The admin listener over HTTPS with its own certificate (admin.tls). */
class AdminTlsTest {
  @TempDir static Path certs;
  @RegisterExtension final EdgeExtension edge = EdgeExtension.create();

  @Test
  void theAdminApiAnswersOverTlsWithItsOwnCertificateAndTheSessionCookieIsSecure() throws Exception {
    TestPki pki = new TestPki(certs);
    TestPki.Leaf leaf = pki.issue("admin.test");
    edge.start(AdminTokens.yaml("tls: { cert: " + leaf.files().cert() + ", key: " + leaf.files().key() + " }"),
        zone("shop.example", "origin_ports: { http: 9 }"));

    RawClient.Response health = RawClient.getTls(edge.node().adminAddress(), pki.clientContext(), "admin.test", "/healthz");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.body()).isEqualTo("ok T1\n");

    String body = "{\"token\": \"" + AdminTokens.READ + "\"}";
    try (RawClient c = RawClient.connectTls(edge.node().adminAddress(), pki.clientContext(), "admin.test")) {
      RawClient.Response signIn = c.send("POST /api/session HTTP/1.1\r\nHost: admin.test\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body).readResponse();
      assertThat(signIn.status()).isEqualTo(200);
      assertThat(signIn.header("set-cookie")).startsWith("edgeray_session=").containsIgnoringCase("; Secure");
    }
  }

  @Test
  void aReloadServesTheRotatedAdminCertificateToTheNextHandshakeOnTheSameListener() throws Exception {
    TestPki pki = new TestPki(certs);
    TestPki.Leaf first = pki.leaf("admin.test").file("admin-reload").issue();
    edge.start(AdminTokens.yaml("tls: { cert: " + first.files().cert() + ", key: " + first.files().key() + " }"),
        zone("shop.example", "origin_ports: { http: 9 }"));
    java.net.InetSocketAddress listener = edge.node().adminAddress();
    assertThat(served(pki).getSerialNumber()).isEqualTo(first.cert().getSerialNumber());

    TestPki.Leaf next = pki.leaf("admin.test").file("admin-reload").issue(); // the same two files, rewritten

    assertThat(edge.reload()).isNull();
    assertThat(served(pki).getSerialNumber()).isEqualTo(next.cert().getSerialNumber());
    assertThat(edge.node().adminAddress()).isEqualTo(listener);
  }

  @Test
  void aChangedAdminCertificateFileIsPickedUpWithoutAReloadAndABrokenOneKeepsTheOld() throws Exception {
    TestPki pki = new TestPki(certs);
    TestPki.Leaf first = pki.leaf("admin.test").file("admin-poll").issue();
    edge.start(AdminTokens.yaml("tls: { cert: " + first.files().cert() + ", key: " + first.files().key() + " }"),
        zone("shop.example", "origin_ports: { http: 9 }"));
    java.nio.file.Files.writeString(first.files().cert(), "-----BEGIN CERTIFICATE-----\nhalf written");
    assertThat(edge.reload()).contains("admin.tls.cert: ").contains("not a readable PEM certificate file"); // the config is refused whole
    assertThat(served(pki).getSerialNumber()).isEqualTo(first.cert().getSerialNumber());

    TestPki.Leaf next = pki.leaf("admin.test").file("admin-poll").issue();
    java.math.BigInteger[] seen = {null};
    io.edgeray.testing.Await.until(io.edgeray.tls.EdgeTls.POLL.multipliedBy(4), () -> {
      try {
        seen[0] = served(pki).getSerialNumber();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      return seen[0].equals(next.cert().getSerialNumber());
    }, "the new admin certificate served");
  }

  @Test
  void aReloadThatAppliedTheConfigAnswers200WithTheAdminCertificatesProblemAsAWarning() throws Exception {
    TestPki pki = new TestPki(certs);
    TestPki.Leaf first = pki.leaf("admin.test").file("admin-warn").issue();
    edge.start(AdminTokens.yaml("tls: { cert: " + first.files().cert() + ", key: " + first.files().key() + " }"),
        zone("shop.example", "origin_ports: { http: 9 }"));
    ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(AdminCertificate.class);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> seen = new ch.qos.logback.core.read.ListAppender<>();
    seen.start();
    logger.addAppender(seen);
    try {
      // the poll finds the certificate half written (same size, same file), and keeps the old one in service
      java.nio.file.Path cert = first.files().cert();
      String good = java.nio.file.Files.readString(cert);
      java.nio.file.attribute.FileTime stamp = java.nio.file.attribute.FileTime.from(java.time.Instant.parse("2026-01-01T00:00:00Z"));
      java.nio.file.Files.writeString(cert, good.replace("BEGIN CERTIFICATE", "BEGIN CERTIFICATX"));
      java.nio.file.Files.setLastModifiedTime(cert, stamp);
      io.edgeray.testing.Await.until(io.edgeray.tls.EdgeTls.POLL.multipliedBy(4), () -> seen.list.stream()
          .anyMatch(e -> e.getFormattedMessage().startsWith("the admin certificate changed but cannot be used")), "the poll tried it");
      // the whole file lands with the same size and time: to the certificate's poll nothing changed since
      java.nio.file.Files.writeString(cert, good);
      java.nio.file.Files.setLastModifiedTime(cert, stamp);

      RawClient.Response reloaded;
      try (RawClient c = RawClient.connectTls(edge.node().adminAddress(), pki.clientContext(), "admin.test")) {
        reloaded = c.send("POST /reload HTTP/1.1\r\nHost: admin.test\r\nAuthorization: Bearer " + AdminTokens.EDIT
            + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").readResponse();
      }

      assertThat(reloaded.status()).as(reloaded.body()).isEqualTo(200);
      assertThat(reloaded.body()).startsWith("reloaded\nwarning: admin.tls: ").contains("not a readable PEM certificate file")
          .endsWith("\n");
      assertThat(reloaded.body().lines()).hasSize(2);
      assertThat(edge.reload()).as("the config itself reloads").isNull();
      assertThat(served(pki).getSerialNumber()).isEqualTo(first.cert().getSerialNumber());
    } finally {
      logger.detachAppender(seen);
    }
  }

  /** The certificate the admin listener shows a new handshake. */
  private java.security.cert.X509Certificate served(TestPki pki) throws Exception {
    try (javax.net.ssl.SSLSocket s = RawClient.tlsSocket(edge.node().adminAddress(), pki.clientContext(), "admin.test")) {
      return (java.security.cert.X509Certificate) s.getSession().getPeerCertificates()[0];
    }
  }

  @Test
  void plainHttpOnTheHttpsAdminPortGetsNoAnswer() throws Exception {
    TestPki pki = new TestPki(certs);
    TestPki.Leaf leaf = pki.issue("admin.test");
    edge.start(AdminTokens.yaml("tls: { cert: " + leaf.files().cert() + ", key: " + leaf.files().key() + " }"),
        zone("shop.example", "origin_ports: { http: 9 }"));
    assertThatThrownBy(() -> RawClient.get(edge.node().adminAddress(), "admin.test", "/healthz")).isInstanceOf(java.io.IOException.class);
  }

  @Test
  void anAdminCertificateThatDoesNotLoadNamesItsLine() throws Exception {
    assertThatThrownBy(() -> edge.start(AdminTokens.yaml("tls: { cert: " + certs.resolve("missing.crt") + ", key: "
        + certs.resolve("missing.key") + " }"), zone("shop.example", "origin_ports: { http: 9 }")))
        .isInstanceOf(ConfigException.class)
        .hasMessageEndingWith("edge.yaml:9: admin.tls.cert: " + certs.resolve("missing.crt") + ": no such file");
  }
}
