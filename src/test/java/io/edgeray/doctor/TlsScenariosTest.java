package io.edgeray.doctor;

import static io.edgeray.doctor.LoopbackScenariosTest.check;
import static io.edgeray.doctor.LoopbackScenariosTest.zone;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgeray.testing.Ports;
import io.edgeray.testing.TestCerts;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Check 5 for real: HTTPS origins on 127.0.0.1 with certificates made by the test, judged by the edge's own validation. */
class TlsScenariosTest {
  @TempDir Path dir;

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void fullStrictWithAnExpiredCertificateIs526AndFullWouldWork() throws Exception {
    TestCerts.Ca ca = TestCerts.newCa("Doctor Test CA");
    Instant now = Instant.now();
    TestCerts.Leaf expired = ca.issue(List.of("shop.example"), now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)));
    Path caFile = ca.writeCertPem(dir.resolve("ca.pem"));
    TestCerts.PemFiles visitorCert = ca.issue("shop.example").writePem(dir, "shop.example");
    try (HttpsOrigin origin = new HttpsOrigin(expired);
        DoctorScenario s = DoctorScenario.of(dir, zone(Ports.closedPort(), origin.port(), "127.0.0.1", "")
            .replace("    records:", "    ssl: full_strict\n    origin_ca: " + caFile + "\n    certificate: { cert: "
                + visitorCert.certChain() + ", key: " + visitorCert.key() + " }\n    records:")).withHttps().withEdge()) {
      Report r = s.examine("https://shop.example/");

      assertThat(r.verdict().cause()).isEqualTo(Cause.TLS_CERTIFICATE_INVALID);
      assertThat(r.verdict().confidence()).isEqualTo(Confidence.HIGH);
      assertThat(r.verdict().evidence()).startsWith("origin certificate expired: the certificate expired on ");
      CheckResult tls = check(r, "tls");
      assertThat(tls.outcome()).isEqualTo(Outcome.PROBLEM);
      assertThat(tls.summary()).isEqualTo("expired certificate: ssl mode full_strict fails with 526");
      assertThat(tls.evidence()).contains("ssl modes that work with this origin: full, flexible (not full_strict or strict)");
      assertThat(tls.evidence().get(0)).startsWith("certificate: subject CN=shop.example; SANs shop.example; valid ")
          .endsWith("; issuer CN=Doctor Test CA");
      assertThat(r.verdict().cause().symptom()).isEqualTo("526");
      assertThat(check(r, "edge").summary()).startsWith("526 Invalid SSL certificate (TLS_CERTIFICATE), ray ");
      assertThat(check(r, "edge").evidence().get(0)).startsWith("GET https://shop.example/ via 127.0.0.1:");
    }
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void fullStrictWithAValidCertificateFromTheZonesOriginCaIsHealthy() throws Exception {
    TestCerts.Ca ca = TestCerts.newCa("Doctor Test CA");
    Path caFile = ca.writeCertPem(dir.resolve("ca.pem"));
    try (HttpsOrigin origin = new HttpsOrigin(ca.issue("shop.example"));
        DoctorScenario s = DoctorScenario.of(dir, zone(Ports.closedPort(), origin.port(), "127.0.0.1", "")
            .replace("    records:", "    ssl: full_strict\n    origin_ca: " + caFile + "\n    records:"))) {
      Report r = s.examine("https://shop.example/");

      assertThat(r.verdict().cause()).isEqualTo(Cause.HEALTHY);
      assertThat(r.exitCode()).isZero();
      assertThat(check(r, "tls").summary()).isEqualTo("valid certificate for shop.example (ssl full_strict works)");
      assertThat(check(r, "direct").summary()).startsWith("https 200 from 127.0.0.1 in ");
    }
  }
}
