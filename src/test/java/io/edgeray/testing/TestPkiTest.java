package io.edgeray.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.ssl.SslContextBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestPkiTest {
  @TempDir static Path dir;

  private static TestPki pki() {
    return new TestPki(dir.resolve("pki-" + System.nanoTime()));
  }

  @Test
  void aLeafIsSignedByItsCaForItsNames() throws Exception {
    TestPki pki = pki();
    TestPki.Leaf leaf = pki.issue("shop.example", "127.0.0.1");
    leaf.cert().verify(pki.ca().getPublicKey());
    leaf.cert().checkValidity();
    assertThat(leaf.cert().getSubjectAlternativeNames())
        .contains(List.of(2, "shop.example"), List.of(7, "127.0.0.1"));
    assertThat(leaf.chain()).containsExactly(leaf.cert(), pki.ca());
    assertThat(leaf.cert().getIssuerX500Principal()).isEqualTo(pki.ca().getSubjectX500Principal());
    assertThat(leaf.cert().getSubjectX500Principal().getName()).isEqualTo("CN=shop.example");
  }

  @Test
  void anExpiredLeafFailsItsValidityCheck() {
    TestPki.Leaf expired = pki().expired("shop.example");
    assertThatThrownBy(() -> expired.cert().checkValidity()).isInstanceOf(CertificateExpiredException.class);
  }

  @Test
  void aNotYetValidLeafFailsItsValidityCheck() {
    TestPki.Leaf future = pki().notYetValid("shop.example");
    assertThatThrownBy(() -> future.cert().checkValidity()).isInstanceOf(CertificateNotYetValidException.class);
  }

  @Test
  void aSelfSignedLeafVerifiesOnlyWithItsOwnKey() throws Exception {
    TestPki pki = pki();
    TestPki.Leaf self = pki.selfSigned("shop.example");
    self.cert().verify(self.cert().getPublicKey());
    assertThat(self.chain()).containsExactly(self.cert());
    assertThatThrownBy(() -> self.cert().verify(pki.ca().getPublicKey())).isInstanceOf(Exception.class);
  }

  @Test
  void aWrongHostLeafIsValidButForAnotherName() throws Exception {
    TestPki pki = pki();
    TestPki.Leaf wrong = pki.wrongHost();
    wrong.cert().verify(pki.ca().getPublicKey());
    wrong.cert().checkValidity();
    assertThat(wrong.cert().getSubjectAlternativeNames()).containsExactly(List.of(2, TestPki.WRONG_HOST), List.of(7, "127.0.0.1"));
  }

  @Test
  void pemFilesLoadIntoNettyAndBackIntoCertificates() throws Exception {
    TestPki pki = pki();
    TestPki.Leaf leaf = pki.issue("shop.example");

    assertThat(Files.readString(leaf.files().key())).startsWith("-----BEGIN PRIVATE KEY-----");
    try (var in = Files.newInputStream(leaf.files().cert())) {
      assertThat(CertificateFactory.getInstance("X.509").generateCertificates(in)).hasSize(2)
          .last().isEqualTo(pki.ca());
    }
    SslContextBuilder.forServer(leaf.files().cert().toFile(), leaf.files().key().toFile()).build();
    SslContextBuilder.forClient().trustManager(pki.caFile().toFile()).build();
  }

  @Test
  void traditionalKeysAreWrittenAsOpensslWritesThem() throws Exception {
    TestPki pki = pki();
    TestPki.Leaf rsa = pki.leaf("a.test").rsa().keyForm(TestPki.KeyForm.TRADITIONAL).issue();
    TestPki.Leaf ec = pki.leaf("b.test").keyForm(TestPki.KeyForm.TRADITIONAL).issue();
    assertThat(Files.readString(rsa.files().key())).startsWith("-----BEGIN RSA PRIVATE KEY-----");
    assertThat(Files.readString(ec.files().key())).startsWith("-----BEGIN EC PRIVATE KEY-----");
    rsa.cert().verify(pki.ca().getPublicKey());
  }
}
