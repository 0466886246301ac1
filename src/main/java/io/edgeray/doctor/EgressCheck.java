package io.edgeray.doctor;

import io.edgeray.config.EdgeConfig;
import io.edgeray.upstream.EgressSources;
import io.edgeray.failure.OriginFailure;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Check 4, the edge's egress address versus another local source: the same TCP connect to the
 * origin from the address the edge's connections leave from, and from a different one. If only
 * the edge's is refused or dropped, a firewall on the origin's side singles out the edge.
 */
final class EgressCheck {
  static final String ID = "egress";
  static final String TITLE = "From the edge's egress address vs another source";

  /** @param fromEgress null when skipped */
  record Result(ProbeResult fromEgress, ProbeResult fromOther, CheckResult check) {
    boolean onlyEgressBlocked() {
      // a firewall refuses or drops; any other failure (no route, a local bind error) is not one
      return fromEgress != null && !fromEgress.connected() && fromOther.connected()
          && (fromEgress.failureClass() == OriginFailure.CONNECTION_REFUSED
              || fromEgress.failureClass() == OriginFailure.CONNECT_TIMEOUT);
    }
  }

  private EgressCheck() {}

  static Result run(EdgeConfig config, OriginPlan plan, OriginProbe probe, Executor executor) {
    if (plan.addresses().isEmpty()) return skipped("no origin address");
    InetSocketAddress origin = new InetSocketAddress(plan.addresses().get(0), plan.port());
    EgressSources sources = new EgressSources(config.edge().egress());
    InetSocketAddress egress = sources.sourceFor(origin);
    if (egress == null) {
      return skipped("edge.egress names no single address of the origin's family, so the edge's connections "
          + "leave from the address the kernel picks, the same as the direct check's");
    }
    String unbindable = sources.unbindable().get(egress.getAddress());
    if (unbindable != null) {
      return new Result(null, null, new CheckResult(ID, TITLE, Outcome.PROBLEM, "edge.egress "
          + egress.getAddress().getHostAddress() + " is not an address of this host (" + unbindable
          + "): the edge's connections from it fail before they leave", List.of(), 0));
    }
    InetSocketAddress other = otherSource(egress.getAddress(), origin.getAddress());
    // both connects at once: against a black-holed origin each waits the whole probe timeout
    CompletableFuture<ProbeResult> fromEgress = DirectCheck.async(executor, () -> probe.connectOnly(origin, egress));
    CompletableFuture<ProbeResult> fromOther = DirectCheck.async(executor, () -> probe.connectOnly(origin, other));
    return judge(origin, egress, other, fromEgress.join(), fromOther.join());
  }

  /** The check's outcome from the two connects: no I/O. */
  static Result judge(InetSocketAddress origin, InetSocketAddress egress, InetSocketAddress other, ProbeResult e, ProbeResult o) {
    String from = other == null ? "the kernel's choice" : other.getAddress().getHostAddress();
    List<String> evidence = List.of(
        "from egress " + egress.getAddress().getHostAddress() + " to " + where(origin) + ": TCP " + e.connectWord()
            + " after " + e.connectMillis() + " ms" + (e.connected() ? "" : " (" + e.failure().detail() + ")"),
        "from " + (o.source() != null ? o.source().getAddress().getHostAddress() : from) + " to " + where(origin)
            + ": TCP " + o.connectWord() + " after " + o.connectMillis() + " ms" + (o.connected() ? "" : " (" + o.failure().detail() + ")"));
    Outcome outcome;
    String summary;
    if (!e.connected() && o.connected()) {
      outcome = Outcome.PROBLEM;
      summary = "only the edge's address is " + e.connectWord() + ": a firewall blocks the edge";
    } else if (e.connected() && o.connected()) {
      outcome = Outcome.PASSED;
      summary = "both sources connect";
    } else if (!e.connected()) {
      outcome = Outcome.INFO;
      summary = "both sources fail (" + e.connectWord() + " / " + o.connectWord() + "): not specific to the edge";
    } else {
      outcome = Outcome.INFO;
      summary = "the edge's address connects; the other source is " + o.connectWord();
    }
    return new Result(e, o, new CheckResult(ID, TITLE, outcome, summary, evidence, 0));
  }

  /**
   * On loopback any 127/8 address is ours, so another one is picked explicitly; elsewhere the kernel
   * picks, which is the host's primary address and not the egress one when egress is an extra address.
   */
  private static InetSocketAddress otherSource(InetAddress egress, InetAddress origin) {
    if (!(origin instanceof Inet4Address) || !origin.isLoopbackAddress()) return null;
    try {
      byte[] b = egress.getAddress();
      boolean egressIsFirst = b[0] == 127 && b[1] == 0 && b[2] == 0 && b[3] == 1;
      return new InetSocketAddress(InetAddress.getByName(egressIsFirst ? "127.0.0.3" : "127.0.0.1"), 0);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // literals never fail
    }
  }

  private static String where(InetSocketAddress a) {
    return a.getAddress().getHostAddress() + ":" + a.getPort();
  }

  private static Result skipped(String why) {
    return new Result(null, null, CheckResult.skipped(ID, TITLE, why));
  }
}
