package io.edgeray.doctor;

import io.edgeray.failure.OriginFailure;
import io.edgeray.config.SslMode;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the checks' observations into causes, most likely first. The rules are ordered from the
 * most specific observation to the most generic: a firewall that refuses only the edge also makes
 * the edge's connect fail, so it must be named before "the web server is down".
 */
final class Diagnosis {
  /** The Proxy-Status error an edge names when a request comes round to it again (RFC 8586 CDN-Loop). */
  static final String LOOP_DETECTED = "proxy_loop_detected";

  private Diagnosis() {}

  static List<Finding> diagnose(Evidence e) {
    List<Finding> out = new ArrayList<>();
    RecordsCheck.Result records = e.records();
    if (records.blocking() != null) {
      out.add(new Finding(records.blocking(), Confidence.HIGH, records.why()));
      return out;
    }
    OriginPlan plan = records.plan();
    DirectCheck.Result direct = e.direct();
    ThroughEdgeCheck.Result edge = e.edge();

    // a loop first: whatever else fails, the edge is talking to itself
    if (direct.selfAnswered() != null) {
      out.add(new Finding(Cause.ROUTING_LOOP, Confidence.HIGH, DirectCheck.selfWords(direct.selfAnswered())));
    }
    if (edge != null && LOOP_DETECTED.equals(edge.edgeError())) {
      out.add(new Finding(Cause.ROUTING_LOOP, Confidence.HIGH, "the edge answered " + edge.probe().status()
          + " with Proxy-Status error=" + LOOP_DETECTED + " (ray " + edge.ray() + "): its request to the origin came back to it"));
    }
    if (e.egress() != null && e.egress().onlyEgressBlocked()) {
      ProbeResult eg = e.egress().fromEgress();
      out.add(new Finding(Cause.FIREWALL_BLOCKS_EDGE, Confidence.HIGH, "a connect from the edge's egress address "
          + eg.source().getAddress().getHostAddress() + " is " + eg.connectWord() + " while one from " + e.egress().fromOther().source().getAddress().getHostAddress()
          + " is accepted"));
    }
    if (direct.allPrimaryFailedToConnect()) {
      connectFailures(plan, direct, e.listeners(), out);
    } else {
      someFailedToConnect(plan, direct, e.listeners(), out);
    }

    if (e.tls() != null && e.tls().zoneModeFails() == 526) {
      out.add(new Finding(Cause.TLS_CERTIFICATE_INVALID, Confidence.HIGH,
          e.tls().problem() != null ? e.tls().problem().getMessage() : e.tls().check().summary()));
    } else if (e.tls() != null && e.tls().zoneModeFails() == 525) {
      ProbeResult t = e.tls().probe();
      out.add(new Finding(Cause.TLS_HANDSHAKE_FAILED, Confidence.HIGH,
          t != null && t.failure() != null ? t.failure().detail() : e.tls().check().summary()));
    }
    for (ProbeResult r : direct.primary()) {
      if (!r.connected() || r.ok() && r.status() < 500 || r == direct.selfAnswered()) continue;
      if (r.ok()) {
        out.add(new Finding(Cause.ORIGIN_ERROR_STATUS, Confidence.MEDIUM, "the origin answered " + r.status()));
      } else if (r.failureClass() == OriginFailure.RESPONSE_TIMEOUT) {
        // the probe waits seconds, the edge the zone's read timeout: slow to the doctor may still be in time
        out.add(new Finding(Cause.ORIGIN_SLOW, Confidence.MEDIUM, r.failure().detail() + " (the doctor waits its "
            + "probe timeout, --timeout; the edge waits the zone's read timeout, " + plan.zone().timeouts().read().toMillis() + " ms)"));
      } else if (r.failureClass().status() == 520) {
        out.add(new Finding(Cause.ORIGIN_BAD_ANSWER, Confidence.HIGH, r.failure().detail()));
      }
      break;
    }
    if (out.isEmpty() && edge != null && edge.failure() != null) {
      out.add(new Finding(Cause.EDGE_ONLY_FAILURE, Confidence.MEDIUM, "the edge answered " + edge.probe().status() + " ("
          + edge.failure() + ", ray " + edge.ray() + ") while the direct probe succeeded"));
    } else if (out.isEmpty() && edge != null && edge.check().outcome() == Outcome.PROBLEM) {
      // no failure class to name (no answer, or an error the edge made itself), but not healthy either
      out.add(new Finding(Cause.EDGE_ONLY_FAILURE, Confidence.MEDIUM, "through the edge: " + edge.check().summary()
          + ", while the direct probe succeeded"));
    }
    if (out.isEmpty() && direct.primary().isEmpty()) {
      out.add(new Finding(Cause.ORIGIN_NAME_UNRESOLVABLE, Confidence.MEDIUM, "no origin address to probe"));
    }
    if (out.isEmpty()) {
      // healthy only as far as it was seen: without the edge's own answer the doctor is less sure
      boolean edgeSeen = edge != null && edge.probe() != null;
      out.add(new Finding(Cause.HEALTHY, edgeSeen ? Confidence.HIGH : Confidence.MEDIUM, "the origin answered "
          + direct.primary().get(0).status() + (edgeSeen ? "; the edge answered " + edge.probe().status()
              : "; the edge itself was not checked (" + (edge == null ? "no edge" : edge.check().summary()) + ")")));
    }
    return dedupe(out);
  }

  /** No origin address took the connection on the port the mode needs: why. */
  private static void connectFailures(OriginPlan plan, DirectCheck.Result direct, LocalListenersCheck.Result listeners,
      List<Finding> out) {
    ProbeResult first = direct.primary().get(0);
    String where = first.target().getAddress().getHostAddress() + " port " + plan.port();
    boolean otherPortOpen = direct.otherPort().stream().anyMatch(ProbeResult::connected);
    SslMode mode = plan.zone().tls().ssl();
    boolean ran = listeners != null && listeners.ran();
    List<ListeningSockets.Listener> on = ran ? listeners.onPort() : List.of();
    List<InetAddress> uncovered = ran ? listeners.localOrigins().stream().filter(a -> on.stream().noneMatch(l -> l.covers(a))).toList()
        : List.of();
    // this machine's listener table shows a socket on the port that takes every local origin address
    boolean listenerTakesIt = ran && !on.isEmpty() && uncovered.isEmpty();
    if (otherPortOpen && first.failureClass() == OriginFailure.CONNECTION_REFUSED && !listenerTakesIt) {
      out.add(new Finding(Cause.SSL_MODE_PORT, Confidence.HIGH, "ssl mode " + mode.configName() + " connects to "
          + plan.scheme() + " port " + plan.port() + ", which is refused, while " + plan.otherScheme() + " port "
          + plan.otherPort() + " accepts" + (mode == SslMode.FLEXIBLE ? ": use ssl full (or full_strict)" : "")));
    }
    ProbeResult sibling = direct.siblings().stream().filter(ProbeResult::connected).findFirst().orElse(null);
    if (sibling != null && !listenerTakesIt) {
      out.add(new Finding(Cause.RECORD_WRONG_ADDRESS, Confidence.HIGH, where + " is " + first.connectWord()
          + ", while " + sibling.target().getAddress().getHostAddress() + ", where another record of the zone points, accepts on the same port"));
    }
    String listening = on.stream().map(ListeningSockets.Listener::where).toList().toString();
    if (ran) {
      // the listener table speaks of this machine's addresses only: judge the first of those
      ProbeResult here = direct.primary().stream().filter(r -> listeners.localOrigins().contains(r.target().getAddress()))
          .findFirst().orElse(first);
      String hereWhere = here.target().getAddress().getHostAddress() + " port " + plan.port();
      if (on.isEmpty()) {
        out.add(new Finding(Cause.WEB_SERVER_DOWN, Confidence.HIGH, "nothing on this machine listens on port " + plan.port()
            + " and " + hereWhere + " is " + here.connectWord()));
      } else if (!uncovered.isEmpty() && on.stream().allMatch(l -> l.address().isLoopbackAddress())
          && uncovered.stream().noneMatch(InetAddress::isLoopbackAddress)) {
        out.add(new Finding(Cause.LISTENS_ON_LOOPBACK_ONLY, Confidence.HIGH, "port " + plan.port() + " listens only on "
            + listening + "; the record points at " + uncovered.get(0).getHostAddress() + ", where the connect is " + here.connectWord()));
      } else if (!uncovered.isEmpty()) {
        // the web server runs and listens on the port, only not where the record points
        out.add(new Finding(Cause.RECORD_WRONG_ADDRESS, Confidence.HIGH, "the record points at " + uncovered.get(0).getHostAddress()
            + ", where port " + plan.port() + " is " + here.connectWord() + ", while the web server on this machine listens on " + listening));
      } else if (here.failureClass() == OriginFailure.CONNECT_TIMEOUT && on.stream().anyMatch(l -> l.queued() > 0)) {
        int queued = on.stream().mapToInt(ListeningSockets.Listener::queued).max().orElse(0);
        out.add(new Finding(Cause.ORIGIN_OVERLOADED, Confidence.HIGH, queued + " connections wait unaccepted in the accept queue of "
            + on.get(0).where() + " and a new connect timed out: the queue is full"));
      } else if (here.failureClass() == OriginFailure.CONNECTION_REFUSED) {
        // a socket listens where the record points, yet the connect is refused: something rejects it on the way
        out.add(new Finding(Cause.FIREWALL_BLOCKS_EDGE, Confidence.MEDIUM, "port " + plan.port() + " listens on " + listening
            + ", which takes " + here.target().getAddress().getHostAddress() + ", yet the connect is refused: a firewall rule"
            + " rejects connections to the port"));
      }
    }
    OriginFailure f = first.failureClass();
    boolean listenerHere = ran && !on.isEmpty() && listeners.localOrigins().contains(first.target().getAddress());
    if (f == OriginFailure.CONNECTION_REFUSED) {
      if (!listenerHere) {
        out.add(new Finding(Cause.WEB_SERVER_DOWN, Confidence.MEDIUM, where + " refused the connection (nothing listens there, or a firewall rejects)"));
      }
    } else if (f == OriginFailure.CONNECT_TIMEOUT) {
      out.add(new Finding(Cause.ORIGIN_NOT_ANSWERING, Confidence.MEDIUM, where + ": no answer to the TCP handshake in "
          + first.connectMillis() + " ms"));
    } else {
      out.add(new Finding(Cause.ORIGIN_UNREACHABLE, Confidence.MEDIUM, where + ": " + first.failure().detail()));
    }
  }

  /**
   * Some origin addresses take the connection and some do not: visitors sent to the others get a
   * 52x whenever no sibling is tried in their place, so it is a problem, not health.
   */
  private static void someFailedToConnect(OriginPlan plan, DirectCheck.Result direct, LocalListenersCheck.Result listeners,
      List<Finding> out) {
    ProbeResult failed = direct.primary().stream().filter(r -> !r.connected()).findFirst().orElse(null);
    ProbeResult ok = direct.primary().stream().filter(ProbeResult::connected).findFirst().orElse(null);
    if (failed == null || ok == null) return;
    InetAddress at = failed.target().getAddress();
    String seen = at.getHostAddress() + " port " + plan.port() + " is " + failed.connectWord() + ", while "
        + ok.target().getAddress().getHostAddress() + " accepts";
    if (listeners != null && listeners.ran() && !listeners.onPort().isEmpty() && listeners.localOrigins().contains(at)) {
      List<ListeningSockets.Listener> on = listeners.onPort();
      String listening = on.stream().map(ListeningSockets.Listener::where).toList().toString();
      if (on.stream().noneMatch(l -> l.covers(at))) {
        out.add(new Finding(Cause.RECORD_WRONG_ADDRESS, Confidence.MEDIUM, seen + "; the web server on this machine listens on "
            + listening + ", not on " + at.getHostAddress() + ": one of the host's records points where it does not listen"));
      } else if (failed.failureClass() == OriginFailure.CONNECTION_REFUSED) {
        out.add(new Finding(Cause.FIREWALL_BLOCKS_EDGE, Confidence.MEDIUM, seen + "; port " + plan.port() + " listens on "
            + listening + ", which takes " + at.getHostAddress() + ": a firewall rule rejects connections to it"));
      } else if (failed.failureClass() == OriginFailure.CONNECT_TIMEOUT) {
        out.add(new Finding(Cause.ORIGIN_NOT_ANSWERING, Confidence.MEDIUM, seen + ": one of the host's origins does not answer"));
      } else {
        out.add(new Finding(Cause.ORIGIN_UNREACHABLE, Confidence.MEDIUM, seen + ": " + failed.failure().detail()));
      }
      return;
    }
    Cause cause = switch (failed.failureClass()) {
      case CONNECTION_REFUSED -> Cause.WEB_SERVER_DOWN;
      case CONNECT_TIMEOUT -> Cause.ORIGIN_NOT_ANSWERING;
      default -> Cause.ORIGIN_UNREACHABLE;
    };
    out.add(new Finding(cause, Confidence.MEDIUM, seen + ": one of the host's origins is down"));
  }

  /** A cause found twice keeps its first, most confident, place. */
  private static List<Finding> dedupe(List<Finding> in) {
    List<Finding> out = new ArrayList<>();
    for (Finding f : in) {
      if (out.stream().noneMatch(o -> o.cause() == f.cause())) out.add(f);
    }
    return out;
  }
}
