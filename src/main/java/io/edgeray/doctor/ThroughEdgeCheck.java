package io.edgeray.doctor;

import io.edgeray.config.EdgeConfig;
import io.edgeray.config.HostPort;
import io.edgeray.failure.OriginFailure;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Check 2, through the edge: one real request to the edge's own listener with the host's name, as
 * a visitor would send it (HTTPS with SNI when the target is an https:// URL and the edge has an
 * HTTPS listener). The answer's status, Edge-Ray and Proxy-Status say what the
 * edge itself concluded; when nothing listens there the check is skipped (the edge is not running).
 */
final class ThroughEdgeCheck {
  static final String ID = "edge";
  static final String TITLE = "Through the edge";

  /** @param probe null when skipped; {@code failure} is the class the edge named in Proxy-Status, or null */
  record Result(ProbeResult probe, OriginFailure failure, CheckResult check) {
    String ray() {
      return probe == null ? null : probe.header("edge-ray");
    }

    /** The {@code error=} the answer's Proxy-Status names ({@code proxy_loop_detected}, ...), or null. */
    String edgeError() {
      return probe == null ? null : errorOf(probe.header("proxy-status"));
    }
  }

  private ThroughEdgeCheck() {}

  static Result run(EdgeConfig config, DoctorTarget target, OriginProbe probe) {
    // an HTTPS visitor goes through the HTTPS listener when there is one: the SSL mode may treat it differently
    boolean https = target.visitorHttps() && config.httpsListen() != null;
    HostPort listen = https ? config.httpsListen() : config.httpListen();
    InetSocketAddress edge;
    try {
      edge = new InetSocketAddress(reachable(InetAddress.getByName(listen.host())), listen.port());
    } catch (UnknownHostException e) {
      return skipped("listen.http " + listen + " does not resolve");
    }
    ProbeResult r = probe.run(edge, null, new OriginProbe.Ask(target.host(), target.path(), https));
    return judge("GET " + (https ? "https" : "http") + "://" + target.host() + target.path() + " via " + listen, listen, r);
  }

  /** The check's outcome from the edge's answer: no I/O. @param asked what was sent, for the evidence */
  static Result judge(String asked, HostPort listen, ProbeResult r) {
    if (!r.connected()) {
      return skipped("nothing answers on the edge's listener " + listen + " (TCP " + r.connectWord() + "): is the edge running?");
    }
    List<String> evidence = new ArrayList<>();
    evidence.add(asked);
    if (!r.ok()) {
      evidence.add("the edge did not answer: " + r.failure().detail());
      return new Result(r, null, new CheckResult(ID, TITLE, Outcome.PROBLEM, "the edge accepted but did not answer", evidence, 0));
    }
    String proxyStatus = r.header("proxy-status");
    OriginFailure failure = failureOf(proxyStatus);
    evidence.add("status " + r.status() + ", Edge-Ray " + r.header("edge-ray")
        + (proxyStatus == null ? "" : ", Proxy-Status " + proxyStatus));
    Outcome outcome;
    String summary;
    if (failure != null) {
      outcome = Outcome.PROBLEM;
      summary = r.status() + " " + failure.title() + " (" + failure + "), ray " + r.header("edge-ray");
    } else if (proxyStatus != null) {
      outcome = Outcome.PROBLEM;
      summary = r.status() + " from the edge itself (" + proxyStatus + "), ray " + r.header("edge-ray");
    } else if (r.status() >= 500) {
      outcome = Outcome.WARNING;
      summary = r.status() + " from the origin, passed through by the edge, ray " + r.header("edge-ray");
    } else {
      outcome = Outcome.PASSED;
      summary = r.status() + " in " + r.ttfbMillis() + " ms, ray " + r.header("edge-ray");
    }
    return new Result(r, failure, new CheckResult(ID, TITLE, outcome, summary, evidence, 0));
  }

  /** The token after {@code error=} in a Proxy-Status, or null. */
  static String errorOf(String proxyStatus) {
    if (proxyStatus == null) return null;
    int at = proxyStatus.indexOf("error=");
    if (at < 0) return null;
    return proxyStatus.substring(at + 6).split("[;,\\s]")[0];
  }

  /** The class named by {@code error=...} in the edge's Proxy-Status, or null. */
  static OriginFailure failureOf(String proxyStatus) {
    String error = errorOf(proxyStatus);
    if (error == null) return null;
    for (OriginFailure f : OriginFailure.values()) {
      if (f.proxyStatus().equals(error)) return f;
    }
    return null;
  }

  /** A wildcard listener is reached on loopback. */
  private static InetAddress reachable(InetAddress a) throws UnknownHostException {
    if (!a.isAnyLocalAddress()) return a;
    return a.getAddress().length == 4 ? InetAddress.getByName("127.0.0.1") : InetAddress.getByName("::1");
  }

  private static Result skipped(String why) {
    return new Result(null, null, CheckResult.skipped(ID, TITLE, why));
  }
}
