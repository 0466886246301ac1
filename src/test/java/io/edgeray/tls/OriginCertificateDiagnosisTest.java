package io.edgeray.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeray.failure.ClassifiedFailure;
import io.edgeray.failure.ErrorClassifier;
import io.edgeray.failure.OriginFailure;
import io.edgeray.failure.Stage;
import io.edgeray.testing.TestPki;
import io.edgeray.tls.OriginCertificateException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Full (strict) refuses a certificate and says which check failed, with the certificate described. */
class OriginCertificateDiagnosisTest {
  @TempDir static Path dir;
  static TestPki pki;
  static TestPki otherCa;
  static OriginTrustManager trust;
  static final Instant NOW = Instant.now();

  @BeforeAll
  static void setUp() throws Exception {
    pki = new TestPki(dir.resolve("ca"));
    otherCa = new TestPki(dir.resolve("other-ca"));
    trust = OriginTrustManager.create(pki.caFile(), Clock.systemUTC());
  }

  private static OriginCertificateException refusal(TestPki.Leaf i, String host) throws Exception {
    SSLEngine engine = SSLContext.getDefault().createSSLEngine(host, 443);
    X509Certificate[] chain = i.cert().getIssuerX500Principal().equals(pki.ca().getSubjectX500Principal())
        ? new X509Certificate[] {i.cert(), pki.ca()} : new X509Certificate[] {i.cert()};
    try {
      trust.checkServerTrusted(chain, "ECDHE_ECDSA", engine);
    } catch (OriginCertificateException e) {
      return e;
    }
    return null;
  }

  @Test
  void aValidCertificateForTheHostIsAccepted() throws Exception {
    assertThat(refusal(pki.issue("shop.test"), "shop.test")).isNull();
    assertThat(refusal(pki.issue("*.shop.test"), "www.shop.test")).isNull();
  }

  @Test
  void anExpiredCertificateSaysWhenItExpired() throws Exception {
    TestPki.Leaf old = pki.leaf("shop.test").valid(NOW.minus(Duration.ofDays(90)), Instant.parse("2024-03-01T12:00:00Z")).issue();
    OriginCertificateException e = refusal(old, "shop.test");
    assertThat(e.problem()).isEqualTo(OriginCertificateException.Problem.EXPIRED);
    assertThat(e.getMessage()).startsWith("origin certificate expired: the certificate expired on 2024-03-01T12:00:00Z")
        .contains("SANs shop.test").contains("valid ").contains(" to 2024-03-01T12:00:00Z").contains("issuer CN=edgeray test CA");
  }

  @Test
  void aCertificateNotYetValidSaysFromWhen() throws Exception {
    TestPki.Leaf future = pki.leaf("shop.test").valid(NOW.plus(Duration.ofDays(3)), NOW.plus(Duration.ofDays(30))).issue();
    assertThat(refusal(future, "shop.test").problem()).isEqualTo(OriginCertificateException.Problem.NOT_YET_VALID);
  }

  @Test
  void aSelfSignedCertificateIsCalledSo() throws Exception {
    OriginCertificateException e = refusal(pki.selfSigned("shop.test"), "shop.test");
    assertThat(e.problem()).isEqualTo(OriginCertificateException.Problem.SELF_SIGNED);
    assertThat(e.getMessage()).contains("self-signed");
  }

  @Test
  void aCertificateFromAnUnknownAuthorityNamesTheIssuer() throws Exception {
    TestPki.Leaf foreign = otherCa.issue("shop.test");
    OriginCertificateException e = refusal(foreign, "shop.test");
    assertThat(e.problem()).isEqualTo(OriginCertificateException.Problem.UNTRUSTED);
    assertThat(e.getMessage()).contains("does not lead to a trusted authority");
  }

  @Test
  void aCertificateForAnotherNameListsItsNamesButThePageVersionHidesAddresses() throws Exception {
    TestPki.Leaf wrong = pki.leaf("other.test", "127.0.0.1").valid(NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(9))).issue();
    OriginCertificateException e = refusal(wrong, "shop.test");
    assertThat(e.problem()).isEqualTo(OriginCertificateException.Problem.NAME_MISMATCH);
    assertThat(e.getMessage()).contains("not valid for shop.test").contains("SANs other.test, IP 127.0.0.1");
    assertThat(e.publicMessage()).contains("not valid for shop.test").contains("SANs other.test;").doesNotContain("127.0.0.1");
  }

  @Test
  void everyProblemIsListedWhenSeveralApply() throws Exception {
    TestPki.Leaf both = pki.leaf("other.test").valid(NOW.minus(Duration.ofDays(9)), NOW.minus(Duration.ofDays(1))).issue();
    OriginCertificateException e = refusal(both, "shop.test");
    assertThat(e.problem()).isEqualTo(OriginCertificateException.Problem.EXPIRED);
    assertThat(e.getMessage()).contains("expired on").contains("not valid for shop.test");
  }

  @Test
  void theClassifierTurnsARefusedCertificateInto526AndEveryOtherHandshakeFailureInto525() throws Exception {
    OriginCertificateException bad = refusal(pki.selfSigned("shop.test"), "shop.test");
    SSLHandshakeException wrapped = new SSLHandshakeException("General OpenSslEngine problem");
    wrapped.initCause(bad);
    ClassifiedFailure cf = ErrorClassifier.classify(Stage.HANDSHAKE, wrapped);
    assertThat(cf.failure()).isEqualTo(OriginFailure.TLS_CERTIFICATE);
    assertThat(cf.detail()).isEqualTo(bad.getMessage());
    assertThat(cf.ownerDetail()).isEqualTo(bad.publicMessage());

    ClassifiedFailure closed = ErrorClassifier.classify(Stage.HANDSHAKE, new java.nio.channels.ClosedChannelException());
    assertThat(closed.failure()).isEqualTo(OriginFailure.TLS_HANDSHAKE);
    assertThat(closed.ownerDetail()).isEqualTo("the origin closed the connection during the TLS handshake");
    assertThat(ErrorClassifier.classify(Stage.HANDSHAKE, new SSLHandshakeException("Received fatal alert: protocol_version")).ownerDetail())
        .startsWith("no TLS version in common");
    assertThat(ErrorClassifier.classify(Stage.HANDSHAKE, new io.netty.handler.ssl.SslHandshakeTimeoutException("handshake timed out after 10000ms")).ownerDetail())
        .isEqualTo("the origin did not complete the TLS handshake in time");
  }

  @Test
  void clientCertificatesAreNotTrusted() {
    assertThatThrownBy(() -> trust.checkClientTrusted(new X509Certificate[] {pki.ca()}, "EC"))
        .isInstanceOf(java.security.cert.CertificateException.class);
  }
}
