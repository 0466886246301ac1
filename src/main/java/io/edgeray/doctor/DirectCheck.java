package io.edgeray.doctor;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Check 3, direct to the origin, bypassing the edge: a TCP connect to each origin address on the
 * port the SSL mode needs, then an HTTP(S) request with the visitor's Host header. The other
 * scheme's port and the zone's other record addresses get a bare connect, so the verdict can tell
 * "nothing on this port" from "nothing on this host" and "wrong address".
 */
final class DirectCheck {
  static final String ID = "direct";
  static final String TITLE = "Direct to the origin (bypassing the edge)";

  record Result(List<ProbeResult> primary, List<ProbeResult> otherPort, List<ProbeResult> siblings, CheckResult check) {
    boolean allPrimaryFailedToConnect() {
      return !primary.isEmpty() && primary.stream().noneMatch(ProbeResult::connected);
    }
  }

  private DirectCheck() {}

  static Result run(OriginPlan plan, DoctorTarget target, OriginProbe probe) {
    List<ProbeResult> primary = new ArrayList<>();
    List<ProbeResult> other = new ArrayList<>();
    List<String> evidence = new ArrayList<>();
    for (InetAddress a : plan.addresses()) {
      ProbeResult r = probe.run(new InetSocketAddress(a, plan.port()),
          null, new OriginProbe.Ask(target.host(), target.path(), plan.originTls()));
      primary.add(r);
      evidence.add(describe(plan.scheme(), r));
      ProbeResult o = probe.connectOnly(new InetSocketAddress(a, plan.otherPort()), null);
      other.add(o);
      evidence.add(plan.otherScheme() + " port " + plan.otherPort() + " on " + a.getHostAddress() + ": TCP "
          + o.connectWord() + " (" + o.connectMillis() + " ms)");
    }
    List<ProbeResult> siblings = new ArrayList<>();
    if (primary.stream().noneMatch(ProbeResult::connected)) {
      for (InetAddress s : plan.siblings()) {
        ProbeResult r = probe.connectOnly(new InetSocketAddress(s, plan.port()), null);
        siblings.add(r);
        evidence.add("another record of the zone, " + s.getHostAddress() + " port " + plan.port() + ": TCP " + r.connectWord());
      }
    }
    boolean ok = primary.stream().allMatch(r -> r.ok() && r.status() < 500);
    boolean anyOk = primary.stream().anyMatch(r -> r.ok() && r.status() < 500);
    ProbeResult first = primary.isEmpty() ? null : primary.get(0);
    String summary = first == null ? "no origin address to probe"
        : first.ok() ? plan.scheme() + " " + first.status() + " from " + first.target().getAddress().getHostAddress()
            + " in " + first.ttfbMillis() + " ms (TCP " + first.connectMillis() + " ms)"
        : plan.scheme() + " port " + plan.port() + ": " + failureWords(first);
    Outcome outcome = ok ? Outcome.PASSED : anyOk ? Outcome.WARNING : Outcome.PROBLEM;
    return new Result(primary, other, siblings, new CheckResult(ID, TITLE, outcome, summary, evidence, 0));
  }

  static String describe(String scheme, ProbeResult r) {
    String where = r.target().getAddress().getHostAddress() + " port " + r.target().getPort();
    if (!r.connected()) {
      return where + ": TCP " + r.connectWord() + " after " + r.connectMillis() + " ms (would be "
          + r.failure().failure().status() + "): " + r.failure().detail();
    }
    String tcp = where + ": TCP accepted in " + r.connectMillis() + " ms";
    if (!r.ok()) return tcp + "; " + scheme + " request failed (would be " + r.failure().failure().status() + "): " + r.failure().detail();
    return tcp + "; " + scheme + " status " + r.status() + ", first byte after " + r.ttfbMillis() + " ms";
  }

  static String failureWords(ProbeResult r) {
    return !r.connected() ? "TCP " + r.connectWord() + " (" + r.failure().failure().status() + ")"
        : r.failure().failure() + " (" + r.failure().failure().status() + "): " + r.failure().detail();
  }
}
