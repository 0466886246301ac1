package io.edgeray.doctor;

import io.edgeray.config.load.ConfigLoader;
import io.edgeray.config.EdgeConfig;
import io.edgeray.config.HostPort;
import io.edgeray.config.Zone;
import io.edgeray.failure.ClassifiedFailure;
import io.edgeray.failure.OriginFailure;
import io.edgeray.failure.Stage;
import io.edgeray.config.SslMode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small model of the world the doctor looks at (which sockets listen where, what a firewall
 * does, how the web application answers, what TLS the origin serves, whether the edge runs) and
 * the evidence the doctor's checks would gather in it. The checks' own pure {@code judge} methods
 * turn the observations into check results, so the report is the one the doctor would print.
 * Worlds are consistent by construction: a check never shows what the world does not do.
 */
final class DiagnosisWorld {
  static final String NODE = "DOC";
  static final int PORT = 8080;
  static final int OTHER_PORT = 8443;
  static final InetSocketAddress EGRESS = new InetSocketAddress(ip("127.0.0.2"), 0);
  static final InetSocketAddress OTHER_SOURCE = new InetSocketAddress(ip("127.0.0.1"), 0);
  static final HostPort EDGE_LISTEN = new HostPort("127.0.0.1", 18181);

  /** Which sockets of this machine listen on the origin port. */
  enum Listeners { NONE, WILDCARD, LOOPBACK_127_0_0_1, NEIGHBOUR_127_0_0_5, EACH_RECORD_ADDRESS }

  enum Firewall { NONE, REJECT_EDGE, DROP_EDGE, REJECT_ALL, DROP_ALL }

  /** What a remote origin host does on the port (remote hosts have no listener table to read). */
  enum Remote { UP, DOWN, BLACK_HOLE, NO_ROUTE }

  enum App { OK, ERROR_503, SLOW, GARBAGE, LOOPS_TO_EDGE }

  enum Tls { VALID, INVALID_CERTIFICATE, NO_TLS }

  private static final Map<SslMode, Zone> ZONES = new EnumMap<>(SslMode.class);

  static synchronized Zone zone(SslMode mode) {
    if (ZONES.isEmpty()) {
      try {
        Path dir = Files.createTempDirectory("diagnosis-world");
        StringBuilder yaml = new StringBuilder("node: " + NODE + "\nlisten: { http: " + EDGE_LISTEN.host() + ":" + EDGE_LISTEN.port()
            + " }\nzones:\n");
        for (SslMode m : SslMode.values()) {
          yaml.append("  - name: ").append(m.configName().replace('_', '-')).append(".example\n")
              .append("    ssl: ").append(m.configName()).append("\n")
              .append("    origin_ports: { http: ").append(PORT).append(", https: ").append(OTHER_PORT).append(" }\n")
              .append("    timeouts: { connect: 5s, read: 5s, write: 5s }\n")
              .append("    records:\n      - { type: A, name: \"@\", content: 192.0.2.10, proxied: true }\n");
        }
        Path file = Files.writeString(dir.resolve("edge.yaml"), yaml.toString());
        EdgeConfig config = ConfigLoader.load(file);
        for (Zone z : config.zones()) ZONES.put(z.tls().ssl(), z);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    return ZONES.get(mode);
  }

  // the world
  List<InetAddress> addresses = List.of(ip("127.0.0.6"));
  List<InetAddress> siblings = List.of();
  SslMode mode = SslMode.FULL;
  boolean visitorHttps;
  Listeners listeners = Listeners.EACH_RECORD_ADDRESS;
  boolean otherPortListens;
  boolean queueFull;
  boolean listenerTableReadable = true;
  Firewall firewall = Firewall.NONE;
  Remote remote = Remote.UP;
  boolean remoteOtherPortUp;
  App app = App.OK;
  Tls tls = Tls.VALID;
  boolean edgeRuns = true;
  boolean egressConfigured = true;
  /** Something between the edge and the origin fails only the edge's requests (its state, its limits): it answers 522. */
  boolean edgeOnlyTrouble;
  /** The records stop the request before any connection: that cause, or null. */
  Cause blockedBy;

  /** This machine's own non-loopback address, as a public address of the origin host would be. */
  static final InetAddress PUBLIC_LOCAL = ip("10.200.0.1");

  static boolean local(InetAddress a) {
    return a.isLoopbackAddress() || a.equals(PUBLIC_LOCAL);
  }

  boolean originTls() {
    return mode.originTls(visitorHttps);
  }

  /** The port the zone's SSL mode connects to for this visitor; {@link #listeners} are about this one. */
  int primaryPort() {
    return originTls() ? OTHER_PORT : PORT;
  }

  // what the world does with one connect

  private ProbeResult connect(InetAddress a, int port, boolean fromEdge, InetSocketAddress source) {
    InetSocketAddress target = new InetSocketAddress(a, port);
    // without an egress address of its own the edge's connections leave from the doctor's address too
    boolean hitByEdgeRules = fromEdge || !egressConfigured;
    if (firewall == Firewall.REJECT_ALL || firewall == Firewall.REJECT_EDGE && hitByEdgeRules) return failed(target, source, OriginFailure.CONNECTION_REFUSED);
    if (firewall == Firewall.DROP_ALL || firewall == Firewall.DROP_EDGE && hitByEdgeRules) return failed(target, source, OriginFailure.CONNECT_TIMEOUT);
    if (!local(a)) {
      // a black hole or a missing route is the whole host; up or down is the web server on the mode's port
      boolean hostReachable = remote == Remote.UP || remote == Remote.DOWN;
      boolean up = port == primaryPort() ? remote == Remote.UP : hostReachable && remoteOtherPortUp;
      if (up) return accepted(target, source);
      return failed(target, source, switch (remote) {
        case BLACK_HOLE -> OriginFailure.CONNECT_TIMEOUT;
        case NO_ROUTE -> OriginFailure.UNREACHABLE;
        default -> OriginFailure.CONNECTION_REFUSED;
      });
    }
    boolean covered = port == primaryPort() ? onPort().stream().anyMatch(l -> l.covers(a)) : otherPortListens;
    if (!covered) return failed(target, source, OriginFailure.CONNECTION_REFUSED);
    if (queueFull && port == primaryPort()) return failed(target, source, OriginFailure.CONNECT_TIMEOUT);
    return accepted(target, source);
  }

  /** What the application answers a request that reached it (TLS already judged by the caller). */
  private ProbeResult ask(InetAddress a, int port, boolean tlsAsked) {
    ProbeResult c = connect(a, port, false, null);
    if (!c.connected()) return c;
    InetSocketAddress t = c.target();
    if (tlsAsked && tls == Tls.NO_TLS) return failedAfter(t, Stage.HANDSHAKE, OriginFailure.TLS_HANDSHAKE, "not an SSL/TLS record");
    return switch (app) {
      case OK -> answered(t, 200, Map.of("server", "nginx"));
      case ERROR_503 -> answered(t, 503, Map.of());
      case SLOW -> failedAfter(t, Stage.READ_HEAD, OriginFailure.RESPONSE_TIMEOUT, "no response from the origin within the read timeout");
      case GARBAGE -> failedAfter(t, Stage.READ_HEAD, OriginFailure.RESPONSE_MALFORMED, "origin sent a malformed response: garbage");
      case LOOPS_TO_EDGE -> answered(t, 403, Map.of("edge-ray", "0123456789abcdef-" + NODE, "proxy-status",
          "edgeray-" + NODE + "; error=proxy_loop_detected"));
    };
  }

  List<ListeningSockets.Listener> onPort() {
    int queued = queueFull ? 2 : 0;
    int port = primaryPort();
    return switch (listeners) {
      case NONE -> List.of();
      case WILDCARD -> List.of(new ListeningSockets.Listener(ip("0.0.0.0"), port, queued));
      case LOOPBACK_127_0_0_1 -> List.of(new ListeningSockets.Listener(ip("127.0.0.1"), port, queued));
      case NEIGHBOUR_127_0_0_5 -> List.of(new ListeningSockets.Listener(ip("127.0.0.5"), port, queued));
      case EACH_RECORD_ADDRESS -> {
        Set<InetAddress> each = new LinkedHashSet<>();
        for (InetAddress a : addresses) if (local(a)) each.add(a);
        yield each.stream().map(a -> new ListeningSockets.Listener(a, port, queued)).toList();
      }
    };
  }

  // the evidence the doctor would gather

  Evidence evidence() {
    Zone zone = zone(mode);
    DoctorTarget target = DoctorTarget.parse((visitorHttps ? "https://" : "http://") + zone.name() + "/");
    ThroughEdgeCheck.Result edge = edge(target);
    HistoryCheck.Result history = new HistoryCheck.Result(List.of(), CheckResult.skipped(HistoryCheck.ID, HistoryCheck.TITLE, "no access log"));
    if (blockedBy != null) {
      RecordsCheck.Result records = new RecordsCheck.Result(null, blockedBy, "blocked: " + blockedBy.id(),
          new CheckResult(RecordsCheck.ID, RecordsCheck.TITLE, Outcome.PROBLEM, "blocked: " + blockedBy.id(), List.of(), 0));
      return new Evidence(records, edge, null, null, null, null, history);
    }
    OriginPlan plan = new OriginPlan(zone, addresses, originTls(), primaryPort(), originTls() ? PORT : OTHER_PORT, siblings);
    RecordsCheck.Result records = new RecordsCheck.Result(plan, null, null, new CheckResult(RecordsCheck.ID, RecordsCheck.TITLE,
        Outcome.PASSED, zone.name() + " is served", List.of(), 0));
    List<ProbeResult> primary = new ArrayList<>();
    List<ProbeResult> other = new ArrayList<>();
    for (InetAddress a : addresses) {
      primary.add(ask(a, plan.port(), plan.originTls()));
      other.add(connect(a, plan.otherPort(), false, null));
    }
    List<ProbeResult> sib = new ArrayList<>();
    if (primary.stream().noneMatch(ProbeResult::connected)) {
      for (InetAddress s : siblings) sib.add(connect(s, plan.port(), false, null));
    }
    DirectCheck.Result direct = DirectCheck.judge(plan, NODE, primary, other, sib);
    EgressCheck.Result egress;
    InetSocketAddress origin = new InetSocketAddress(addresses.get(0), plan.port());
    if (egressConfigured) {
      egress = EgressCheck.judge(origin, EGRESS, OTHER_SOURCE, connect(addresses.get(0), plan.port(), true, EGRESS),
          connect(addresses.get(0), plan.port(), false, OTHER_SOURCE));
    } else {
      egress = new EgressCheck.Result(null, null, CheckResult.skipped(EgressCheck.ID, EgressCheck.TITLE, "no egress address"));
    }
    List<InetAddress> localOrigins = addresses.stream().filter(DiagnosisWorld::local).toList();
    LocalListenersCheck.Result listenersResult;
    if (localOrigins.isEmpty() || !listenerTableReadable) {
      listenersResult = new LocalListenersCheck.Result(localOrigins, null, CheckResult.skipped(LocalListenersCheck.ID,
          LocalListenersCheck.TITLE, "not read"));
    } else {
      listenersResult = LocalListenersCheck.judge(plan, localOrigins, onPort());
    }
    return new Evidence(records, edge, direct, egress, listenersResult, tls(plan, target), history);
  }

  private TlsCheck.Result tls(OriginPlan plan, DoctorTarget target) {
    int httpsPort = plan.originTls() ? plan.port() : plan.otherPort();
    ProbeResult c = connect(addresses.get(0), httpsPort, false, null);
    boolean modeUsesTls = plan.originTls();
    if (!c.connected()) {
      Outcome o = Outcome.SKIPPED;
      return new TlsCheck.Result(modeUsesTls ? c : null, null, 0, new CheckResult(TlsCheck.ID, TlsCheck.TITLE, o,
          "TCP " + c.connectWord() + " on the HTTPS port", List.of(), 0));
    }
    if (tls == Tls.NO_TLS) {
      ProbeResult r = failedAfter(c.target(), Stage.HANDSHAKE, OriginFailure.TLS_HANDSHAKE, "not an SSL/TLS record");
      int fails = modeUsesTls ? 525 : 0;
      return new TlsCheck.Result(r, null, fails, new CheckResult(TlsCheck.ID, TlsCheck.TITLE, fails > 0 ? Outcome.PROBLEM : Outcome.INFO,
          "no TLS", List.of(), 0));
    }
    if (tls == Tls.VALID) {
      return new TlsCheck.Result(c, null, 0, new CheckResult(TlsCheck.ID, TlsCheck.TITLE, Outcome.PASSED, "valid certificate", List.of(), 0));
    }
    int fails = mode.validatesOrigin() && modeUsesTls ? 526 : 0;
    return new TlsCheck.Result(c, null, fails, new CheckResult(TlsCheck.ID, TlsCheck.TITLE, fails > 0 ? Outcome.PROBLEM : Outcome.WARNING,
        fails > 0 ? "expired certificate: ssl mode " + mode.configName() + " fails with 526" : "expired certificate", List.of(), 0));
  }

  private ThroughEdgeCheck.Result edge(DoctorTarget target) {
    InetSocketAddress listen = new InetSocketAddress(ip(EDGE_LISTEN.host()), EDGE_LISTEN.port());
    String asked = "GET " + target.host() + " via " + EDGE_LISTEN;
    if (!edgeRuns) return ThroughEdgeCheck.judge(asked, EDGE_LISTEN, failed(listen, null, OriginFailure.CONNECTION_REFUSED));
    if (blockedBy == Cause.HOST_NOT_SERVED) return ThroughEdgeCheck.judge(asked, EDGE_LISTEN, edgeError(listen, 530, null));
    if (blockedBy == Cause.ROUTING_LOOP) return ThroughEdgeCheck.judge(asked, EDGE_LISTEN, edgeAnswer(listen, 403, "proxy_loop_detected"));
    if (blockedBy == Cause.ORIGIN_NAME_UNRESOLVABLE) return ThroughEdgeCheck.judge(asked, EDGE_LISTEN, edgeError(listen, 530, OriginFailure.DNS_ERROR));
    boolean originTls = originTls();
    int port = primaryPort();
    ProbeResult c = null;
    for (InetAddress a : addresses) { // the edge fails over to the next address when a connect fails
      c = connect(a, port, true, egressConfigured ? EGRESS : null);
      if (c.connected()) break;
    }
    if (!c.connected()) return ThroughEdgeCheck.judge(asked, EDGE_LISTEN, edgeError(listen, c.failureClass().status(), c.failureClass()));
    if (edgeOnlyTrouble) return ThroughEdgeCheck.judge(asked, EDGE_LISTEN, edgeError(listen, 522, OriginFailure.CONNECT_TIMEOUT));
    if (originTls && tls == Tls.NO_TLS) return ThroughEdgeCheck.judge(asked, EDGE_LISTEN, edgeError(listen, 525, OriginFailure.TLS_HANDSHAKE));
    if (originTls && tls == Tls.INVALID_CERTIFICATE && mode.validatesOrigin()) {
      return ThroughEdgeCheck.judge(asked, EDGE_LISTEN, edgeError(listen, 526, OriginFailure.TLS_CERTIFICATE));
    }
    return ThroughEdgeCheck.judge(asked, EDGE_LISTEN, switch (app) {
      case OK -> edgeAnswer(listen, 200, null);
      case ERROR_503 -> edgeAnswer(listen, 503, null);
      // the edge waits the zone's read timeout, longer than the doctor's probe: the doctor sees no answer
      case SLOW -> failedAfter(listen, Stage.READ_HEAD, OriginFailure.RESPONSE_TIMEOUT, "no response within the read timeout");
      case GARBAGE -> edgeError(listen, 520, OriginFailure.RESPONSE_MALFORMED);
      case LOOPS_TO_EDGE -> edgeAnswer(listen, 403, "proxy_loop_detected");
    });
  }

  private static ProbeResult edgeError(InetSocketAddress listen, int status, OriginFailure f) {
    return edgeAnswer(listen, status, f == null ? "destination_not_found" : f.proxyStatus());
  }

  private static ProbeResult edgeAnswer(InetSocketAddress listen, int status, String error) {
    Map<String, String> h = new java.util.HashMap<>();
    h.put("edge-ray", "fedcba9876543210-" + NODE);
    if (error != null) h.put("proxy-status", "edgeray-" + NODE + "; error=" + error);
    return answered(listen, status, h);
  }

  // probe results

  static ProbeResult failed(InetSocketAddress target, InetSocketAddress source, OriginFailure f) {
    return new ProbeResult(target, source, new ClassifiedFailure(f, f.title() + ": " + target), Stage.CONNECT,
        f == OriginFailure.CONNECT_TIMEOUT ? 3000 : 1, 0, -1, Map.of(), List.of());
  }

  static ProbeResult accepted(InetSocketAddress target, InetSocketAddress source) {
    return new ProbeResult(target, source != null ? source : OTHER_SOURCE, null, null, 1, 0, -1, Map.of(), List.of());
  }

  static ProbeResult answered(InetSocketAddress target, int status, Map<String, String> headers) {
    return new ProbeResult(target, OTHER_SOURCE, null, null, 1, status, 2, Map.copyOf(headers), List.of());
  }

  static ProbeResult failedAfter(InetSocketAddress target, Stage stage, OriginFailure f, String detail) {
    return new ProbeResult(target, OTHER_SOURCE, new ClassifiedFailure(f, detail), stage, 1, 0, -1, Map.of(), List.of());
  }

  static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }
}
