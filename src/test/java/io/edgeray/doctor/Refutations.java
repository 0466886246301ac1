package io.edgeray.doctor;

import io.edgeray.failure.OriginFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The premise of each verdict, as the checks of a report can refute it: what a check passed or
 * failed on that a verdict may not contradict. Written apart from {@link Diagnosis}, so the tests
 * hold the diagnosis to an independent statement of what each cause means.
 */
final class Refutations {
  private Refutations() {}

  /** The checks of {@code e} that refute {@code verdict}, in words; empty when none does. */
  static List<String> of(Evidence e, Cause verdict) {
    List<String> out = new ArrayList<>();
    Outcome records = e.records().check().outcome();
    Outcome edge = e.edge() == null ? Outcome.SKIPPED : e.edge().check().outcome();
    DirectCheck.Result d = e.direct();
    Outcome direct = d == null ? Outcome.SKIPPED : d.check().outcome();
    Outcome egress = e.egress() == null ? Outcome.SKIPPED : e.egress().check().outcome();
    Outcome tls = e.tls() == null ? Outcome.SKIPPED : e.tls().check().outcome();
    LocalListenersCheck.Result l = e.listeners();
    boolean listenersRan = l != null && l.ran();
    List<ProbeResult> failedToConnect = d == null ? List.of() : d.primary().stream().filter(r -> !r.connected()).toList();
    // the listener table shows a socket on the port, and every address that failed is this machine's
    boolean listenerWhereItFailed = listenersRan && !l.onPort().isEmpty() && !failedToConnect.isEmpty()
        && failedToConnect.stream().allMatch(r -> l.localOrigins().contains(r.target().getAddress()));
    boolean listenerCoversEveryFailure = listenerWhereItFailed && failedToConnect.stream()
        .allMatch(r -> l.onPort().stream().anyMatch(x -> x.covers(r.target().getAddress())));
    boolean listenerTakesARefusedAddress = listenersRan && failedToConnect.stream().anyMatch(r -> r.failureClass() == OriginFailure.CONNECTION_REFUSED
        && l.localOrigins().contains(r.target().getAddress()) && l.onPort().stream().anyMatch(x -> x.covers(r.target().getAddress())));
    boolean anyConnected = d != null && d.primary().stream().anyMatch(ProbeResult::connected);

    switch (verdict) {
      case HEALTHY -> {
        for (CheckResult c : checks(e)) {
          if (c.outcome() == Outcome.PROBLEM) out.add(c.id() + " shows a problem: " + c.summary());
        }
        if (direct == Outcome.WARNING) out.add("direct shows an origin that fails: " + d.check().summary());
      }
      case EDGE_ONLY_FAILURE -> {
        if (direct != Outcome.PASSED) out.add("the direct probe did not succeed: " + direct);
        if (edge == Outcome.PASSED || edge == Outcome.SKIPPED) out.add("the edge did not fail: " + edge);
      }
      case WEB_SERVER_DOWN -> {
        refutedByDirectPass(direct, out);
        if (listenerWhereItFailed) out.add("listeners show the web server listening on the port: " + l.check().summary());
      }
      case LISTENS_ON_LOOPBACK_ONLY -> {
        refutedByDirectPass(direct, out);
        if (!listenersRan || l.check().outcome() != Outcome.PROBLEM || l.onPort().isEmpty()
            || !l.onPort().stream().allMatch(x -> x.address().isLoopbackAddress())) {
          out.add("listeners do not show a loopback-only socket: " + (l == null ? "none" : l.check().summary()));
        }
      }
      case RECORD_WRONG_ADDRESS -> {
        refutedByDirectPass(direct, out);
        if (listenerCoversEveryFailure) out.add("a listener takes every address that failed: " + l.check().summary());
      }
      case ORIGIN_OVERLOADED -> {
        refutedByDirectPass(direct, out);
        if (listenersRan && l.onPort().stream().noneMatch(x -> x.queued() > 0)) out.add("no connection waits in an accept queue");
        if (failedToConnect.stream().noneMatch(is(OriginFailure.CONNECT_TIMEOUT))) out.add("no connect timed out");
      }
      case ORIGIN_NOT_ANSWERING -> {
        if (failedToConnect.stream().noneMatch(is(OriginFailure.CONNECT_TIMEOUT))) out.add("no connect timed out");
      }
      case ORIGIN_UNREACHABLE -> {
        if (failedToConnect.stream().noneMatch(is(OriginFailure.UNREACHABLE))) out.add("no connect failed for want of a route");
      }
      case FIREWALL_BLOCKS_EDGE -> {
        // the direct probe leaves from another address than the edge's, so its success does not refute a rule against the edge
        if (egress == Outcome.PASSED) out.add("egress shows both sources connecting: " + e.egress().check().summary());
        // its premise is one of two sightings: only the edge's source is blocked, or a socket takes what is refused
        if (egress != Outcome.PROBLEM && !listenerTakesARefusedAddress) {
          out.add("neither does the egress check single out the edge nor does a listener take the refused address");
        }
      }
      case SSL_MODE_PORT -> {
        refutedByDirectPass(direct, out);
        if (failedToConnect.stream().noneMatch(is(OriginFailure.CONNECTION_REFUSED))) out.add("no connect was refused");
        if (d != null && d.otherPort().stream().noneMatch(ProbeResult::connected)) out.add("the other scheme's port does not accept either");
        if (listenerCoversEveryFailure) out.add("a listener takes the mode's port: " + l.check().summary());
      }
      case TLS_CERTIFICATE_INVALID, TLS_HANDSHAKE_FAILED -> {
        if (tls != Outcome.PROBLEM) out.add("the TLS check shows no failure of the zone's mode: " + tls);
      }
      case ORIGIN_SLOW, ORIGIN_BAD_ANSWER, ORIGIN_ERROR_STATUS -> {
        refutedByDirectPass(direct, out);
        if (!anyConnected) out.add("no origin address took the connection, so none answered");
      }
      case ROUTING_LOOP -> {
        if (edge == Outcome.PASSED) out.add("the edge answered normally: " + e.edge().check().summary());
        refutedByDirectPass(direct, out);
      }
      case HOST_NOT_SERVED, ORIGIN_NAME_UNRESOLVABLE -> {
        if (records != Outcome.PROBLEM && d != null && !d.primary().isEmpty()) out.add("records found an origin: " + e.records().check().summary());
        refutedByDirectPass(direct, out);
      }
      case ORIGIN_WAF_BLOCKS_EDGE -> out.add("the edge-side doctor cannot see the origin's web application firewall");
    }
    return out;
  }

  private static void refutedByDirectPass(Outcome direct, List<String> out) {
    if (direct == Outcome.PASSED) out.add("the direct probe passed: the origin answered");
  }

  private static Predicate<ProbeResult> is(OriginFailure f) {
    return r -> r.failureClass() == f;
  }

  static List<CheckResult> checks(Evidence e) {
    List<CheckResult> out = new ArrayList<>();
    out.add(e.records().check());
    if (e.edge() != null) out.add(e.edge().check());
    if (e.direct() != null) out.add(e.direct().check());
    if (e.egress() != null) out.add(e.egress().check());
    if (e.tls() != null) out.add(e.tls().check());
    if (e.listeners() != null) out.add(e.listeners().check());
    if (e.history() != null) out.add(e.history().check());
    return out;
  }

  /** The report as one line per check, for a failure message. */
  static String describe(Evidence e) {
    StringBuilder b = new StringBuilder();
    for (CheckResult c : checks(e)) b.append("\n  [").append(c.outcome().word()).append("] ").append(c.id()).append(": ").append(c.summary());
    return b.toString();
  }
}
