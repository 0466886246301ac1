package io.edgeray.doctor;

import io.edgeray.tls.CertificateDescription;
import io.edgeray.tls.CertificateLoadException;
import io.edgeray.tls.OriginCertificateCheck;
import io.edgeray.tls.OriginCertificateException;
import io.edgeray.config.SslMode;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Check 5, TLS: a handshake with the origin's HTTPS port (SNI = the host), the certificate it
 * sends (subject, SANs, issuer, validity, chain trust, judged by the edge's own Full (strict)
 * validation), the SSL modes that would work with it, and whether the zone's mode fails, with
 * which code.
 */
final class TlsCheck {
  static final String ID = "tls";
  static final String TITLE = "TLS toward the origin";

  /**
   * @param zoneModeFails 525 or 526 when the zone's mode fails with this origin, 0 otherwise
   */
  record Result(ProbeResult probe, OriginCertificateException problem, int zoneModeFails, CheckResult check) {}

  private TlsCheck() {}

  static Result run(OriginPlan plan, DoctorTarget target, OriginProbe probe, Clock clock) {
    if (plan.addresses().isEmpty()) return skipped("no origin address");
    SslMode mode = plan.zone().tls().ssl();
    int httpsPort = plan.originTls() ? plan.port() : plan.otherPort();
    InetSocketAddress origin = new InetSocketAddress(plan.addresses().get(0), httpsPort);
    ProbeResult r = probe.run(origin, null, new OriginProbe.Ask(target.host(), target.path(), true));
    List<String> evidence = new ArrayList<>();
    boolean modeUsesTls = plan.originTls();
    String where = origin.getAddress().getHostAddress() + ":" + httpsPort;
    if (!r.connected()) {
      String why = "TCP " + r.connectWord() + " on the HTTPS port " + where;
      if (!modeUsesTls) return skipped(why + "; ssl mode " + mode.configName() + " does not use it");
      return new Result(r, null, 0, new CheckResult(ID, TITLE, Outcome.SKIPPED, why + ": no handshake to examine",
          List.of(DirectCheck.describe("https", r)), 0));
    }
    if (r.chain().isEmpty()) {
      evidence.add("handshake with " + where + " (SNI " + target.host() + "): "
          + (r.failure() != null ? r.failure().detail() : "the origin sent no certificate"));
      int fails = modeUsesTls ? 525 : 0;
      String summary = "no TLS on " + where + (fails > 0 ? ": ssl mode " + mode.configName() + " fails with 525"
          : "; modes that work: flexible, off");
      return new Result(r, null, fails, new CheckResult(ID, TITLE, fails > 0 ? Outcome.PROBLEM : Outcome.INFO, summary, evidence, 0));
    }
    X509Certificate leaf = r.chain().get(0);
    evidence.add("certificate: " + CertificateDescription.describe(leaf));
    evidence.add("chain sent: " + r.chain().size() + " certificate(s)");
    OriginCertificateException problem;
    try {
      Optional<OriginCertificateException> p = OriginCertificateCheck.problem(r.chain(), target.host(),
          plan.zone().tls().originCa(), clock);
      problem = p.orElse(null);
    } catch (CertificateLoadException e) {
      evidence.add("could not validate: " + e.getMessage());
      return new Result(r, null, 0, new CheckResult(ID, TITLE, Outcome.SKIPPED, e.getMessage(), evidence, 0));
    }
    evidence.add(problem == null ? "trusted, within its dates and valid for " + target.host() : problem.getMessage());
    String works = problem == null ? "full_strict, strict, full, flexible" : "full, flexible (not full_strict or strict)";
    evidence.add("ssl modes that work with this origin: " + works);
    int fails = problem != null && mode.validatesOrigin() && modeUsesTls ? 526 : 0;
    Outcome outcome = fails > 0 ? Outcome.PROBLEM : problem != null ? Outcome.WARNING : Outcome.PASSED;
    String summary = problem == null ? "valid certificate for " + target.host() + " (ssl " + mode.configName() + " works)"
        : problem.problem().words() + " certificate: ssl mode " + mode.configName()
            + (fails > 0 ? " fails with 526" : " does not check it, full_strict would fail with 526");
    return new Result(r, problem, fails, new CheckResult(ID, TITLE, outcome, summary, evidence, 0));
  }

  private static Result skipped(String why) {
    return new Result(null, null, 0, CheckResult.skipped(ID, TITLE, why));
  }
}
