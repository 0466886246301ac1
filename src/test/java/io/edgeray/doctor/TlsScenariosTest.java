package io.edgeray.doctor;

import static io.edgeray.doctor.LoopbackScenariosTest.check;
import static io.edgeray.doctor.LoopbackScenariosTest.zone;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.Fault;
import io.edgeray.testing.FaultyOrigin;
import io.edgeray.testing.Ports;
import io.edgeray.testing.TestPki;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Check 5 for real: HTTPS origins on 127.0.0.1 with certificates made by the test, judged by the edge's own validation. */
class TlsScenariosTest {
  @RegisterExtension final EdgeExtension edge = EdgeExtension.create().node("DOC");
  @TempDir Path dir;

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void fullStrictWithAnExpiredCertificateIs526AndFullWouldWork() throws Exception {
    TestPki pki = new TestPki(dir.resolve("pki"), "Doctor Test CA");
    Path caFile = pki.caFile();
    TestPki.Leaf visitorCert = pki.issue("shop.example");
    try (FaultyOrigin origin = FaultyOrigin.startTls(pki, Fault.EXPIRED_CERTIFICATE, "shop.example");
        DoctorScenario s = DoctorScenario.of(edge, dir, zone(Ports.closedPort(), origin.port(), "127.0.0.1", "")
            .replace("    records:", "    ssl: full_strict\n    origin_ca: " + caFile + "\n    certificate: { cert: "
                + visitorCert.files().cert() + ", key: " + visitorCert.files().key() + " }\n    records:")).withHttps().withEdge()) {
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
    TestPki pki = new TestPki(dir.resolve("pki"), "Doctor Test CA");
    Path caFile = pki.caFile();
    try (FaultyOrigin origin = FaultyOrigin.startTls(pki, Fault.OK, "shop.example");
        DoctorScenario s = DoctorScenario.of(edge, dir, zone(Ports.closedPort(), origin.port(), "127.0.0.1", "")
            .replace("    records:", "    ssl: full_strict\n    origin_ca: " + caFile + "\n    records:"))) {
      Report r = s.examine("https://shop.example/");

      assertThat(r.verdict().cause()).isEqualTo(Cause.HEALTHY);
      assertThat(r.exitCode()).isZero();
      assertThat(check(r, "tls").summary()).isEqualTo("valid certificate for shop.example (ssl full_strict works)");
      assertThat(check(r, "direct").summary()).startsWith("https 200 from 127.0.0.1 in ");
    }
  }
}
