package io.edgeray.doctor;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Check 3, direct to the origin, bypassing the edge: a TCP connect to each origin address on the
 * port the SSL mode needs, then an HTTP(S) request with the visitor's Host header. The other
 * scheme's port and the zone's other record addresses get a bare connect, so the verdict can tell
 * "nothing on this port" from "nothing on this host" and "wrong address". Every probe starts at
 * once, so the check costs one probe timeout, not one per port and address.
 *
 * <p>An answer that carries this edge's own {@code Edge-Ray} or {@code Via} is not the origin
 * answering: the origin address and port lead back to the edge (a loop), and the check says so.
 */
final class DirectCheck {
  static final String ID = "direct";
  static final String TITLE = "Direct to the origin (bypassing the edge)";

  /**
   * @param siblings bare connects to the zone's other record addresses; empty when a primary address connected
   * @param selfAnswered the first primary probe answered by this edge itself, or null
   */
  record Result(List<ProbeResult> primary, List<ProbeResult> otherPort, List<ProbeResult> siblings, ProbeResult selfAnswered,
      CheckResult check) {
    boolean allPrimaryFailedToConnect() {
      return !primary.isEmpty() && primary.stream().noneMatch(ProbeResult::connected);
    }
  }

  private DirectCheck() {}

  /** @param node the edge's node name, which its own answers carry in Edge-Ray and Via */
  static Result run(OriginPlan plan, DoctorTarget target, OriginProbe probe, String node, Executor executor) {
    List<CompletableFuture<ProbeResult>> primary = new ArrayList<>();
    List<CompletableFuture<ProbeResult>> other = new ArrayList<>();
    for (InetAddress a : plan.addresses()) {
      primary.add(async(executor, () -> probe.run(new InetSocketAddress(a, plan.port()), null,
          new OriginProbe.Ask(target.host(), target.path(), plan.originTls()))));
      other.add(async(executor, () -> probe.connectOnly(new InetSocketAddress(a, plan.otherPort()), null)));
    }
    // the siblings matter only when no primary address connects; probing them at once costs nothing in time
    List<CompletableFuture<ProbeResult>> siblings = new ArrayList<>();
    for (InetAddress s : plan.siblings()) {
      siblings.add(async(executor, () -> probe.connectOnly(new InetSocketAddress(s, plan.port()), null)));
    }
    List<ProbeResult> p = joinAll(primary);
    return judge(plan, node, p, joinAll(other), p.stream().noneMatch(ProbeResult::connected) ? joinAll(siblings) : List.of());
  }

  /** The check's outcome from what the probes saw: no I/O, so tests can feed it any observation. */
  static Result judge(OriginPlan plan, String node, List<ProbeResult> primary, List<ProbeResult> other, List<ProbeResult> siblings) {
    List<String> evidence = new ArrayList<>();
    ProbeResult self = null;
    for (int i = 0; i < primary.size(); i++) {
      ProbeResult r = primary.get(i);
      evidence.add(describe(plan.scheme(), r));
      if (self == null && answeredByEdge(r, node)) {
        self = r;
        evidence.add(selfWords(r));
      }
      if (i < other.size()) {
        ProbeResult o = other.get(i);
        evidence.add(plan.otherScheme() + " port " + plan.otherPort() + " on " + o.target().getAddress().getHostAddress()
            + ": TCP " + o.connectWord() + " (" + o.connectMillis() + " ms)");
      }
    }
    for (ProbeResult r : siblings) {
      evidence.add("another record of the zone, " + r.target().getAddress().getHostAddress() + " port " + plan.port()
          + ": TCP " + r.connectWord());
    }
    final ProbeResult selfAnswered = self;
    boolean ok = primary.stream().allMatch(r -> r.ok() && r.status() < 500 && r != selfAnswered);
    boolean anyOk = primary.stream().anyMatch(r -> r.ok() && r.status() < 500 && !answeredByEdge(r, node));
    ProbeResult first = primary.isEmpty() ? null : primary.get(0);
    String summary = first == null ? "no origin address to probe"
        : self != null ? plan.scheme() + " port " + plan.port() + " is this edge itself, not the origin: a loop"
        : first.ok() ? plan.scheme() + " " + first.status() + " from " + first.target().getAddress().getHostAddress()
            + " in " + first.ttfbMillis() + " ms (TCP " + first.connectMillis() + " ms)"
        : plan.scheme() + " port " + plan.port() + ": " + failureWords(first);
    Outcome outcome = self != null ? Outcome.PROBLEM : ok && first != null ? Outcome.PASSED : anyOk ? Outcome.WARNING : Outcome.PROBLEM;
    return new Result(primary, other, siblings, self, new CheckResult(ID, TITLE, outcome, summary, evidence, 0));
  }

  /** Whether the answer came from this edge: its ray ids end in the node name, its Via names edgeray-NODE. */
  static boolean answeredByEdge(ProbeResult r, String node) {
    if (!r.ok() || node == null) return false;
    String ray = r.header("edge-ray");
    if (ray != null && ray.matches("[0-9a-f]{16}-" + Pattern.quote(node))) return true;
    String via = r.header("via");
    if (via == null) return false;
    for (String hop : via.split(",")) {
      String[] parts = hop.trim().split("\\s+");
      if (parts.length >= 2 && parts[1].equalsIgnoreCase("edgeray-" + node)) return true;
    }
    return false;
  }

  /** What showed that a probe reached the edge, quoting the headers. */
  static String selfWords(ProbeResult r) {
    List<String> seen = new ArrayList<>();
    if (r.header("edge-ray") != null) seen.add("Edge-Ray " + r.header("edge-ray"));
    if (r.header("via") != null) seen.add("Via " + r.header("via"));
    return r.target().getAddress().getHostAddress() + " port " + r.target().getPort() + " answered as this edge itself ("
        + String.join(", ", seen) + "): the origin port " + r.target().getPort() + " leads back to the edge";
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

  static CompletableFuture<ProbeResult> async(Executor executor, Supplier<ProbeResult> probe) {
    return CompletableFuture.supplyAsync(probe, executor);
  }

  static List<ProbeResult> joinAll(List<CompletableFuture<ProbeResult>> futures) {
    return futures.stream().map(CompletableFuture::join).toList();
  }
}
