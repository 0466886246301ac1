package io.edgeray.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.ssl.SslContextBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestCertsTest {
  private static final TestCerts.Ca CA = TestCerts.newCa("edgeray test CA");

  @Test
  void aLeafIsSignedByItsCaForItsNames() throws Exception {
    TestCerts.Leaf leaf = CA.issue("shop.example", "127.0.0.1");
    leaf.cert().verify(CA.cert().getPublicKey());
    leaf.cert().checkValidity();
    assertThat(leaf.cert().getSubjectAlternativeNames())
        .contains(List.of(2, "shop.example"), List.of(7, "127.0.0.1"));
    assertThat(leaf.chain()).containsExactly(leaf.cert(), CA.cert());
    assertThat(leaf.cert().getIssuerX500Principal()).isEqualTo(CA.cert().getSubjectX500Principal());
  }

  @Test
  void anExpiredLeafFailsItsValidityCheck() {
    Instant now = Instant.now();
    TestCerts.Leaf expired = CA.issue(List.of("shop.example"), now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)));
    assertThatThrownBy(() -> expired.cert().checkValidity()).isInstanceOf(CertificateExpiredException.class);
  }

  @Test
  void aSelfSignedLeafVerifiesOnlyWithItsOwnKey() throws Exception {
    Instant now = Instant.now();
    TestCerts.Leaf self = TestCerts.selfSigned(List.of("shop.example"), now, now.plus(Duration.ofDays(1)));
    self.cert().verify(self.cert().getPublicKey());
    assertThat(self.chain()).containsExactly(self.cert());
    assertThatThrownBy(() -> self.cert().verify(CA.cert().getPublicKey())).isInstanceOf(Exception.class);
  }

  @Test
  void pemFilesLoadIntoNettyAndBackIntoCertificates(@TempDir Path dir) throws Exception {
    TestCerts.PemFiles files = CA.issue("shop.example").writePem(dir, "origin");
    Path caFile = CA.writeCertPem(dir.resolve("ca.crt"));

    assertThat(Files.readString(files.key())).startsWith("-----BEGIN PRIVATE KEY-----");
    try (var in = Files.newInputStream(files.certChain())) {
      assertThat(CertificateFactory.getInstance("X.509").generateCertificates(in)).hasSize(2)
          .last().isEqualTo(CA.cert());
    }
    SslContextBuilder.forServer(files.certChain().toFile(), files.key().toFile()).build();
    SslContextBuilder.forClient().trustManager(caFile.toFile()).build();
  }
}
