package io.edgeray.edge;

import io.edgeray.cache.OriginFetch;
import io.edgeray.config.Zone;
import io.edgeray.failure.EdgeError;
import io.edgeray.failure.OriginFailure;
import io.edgeray.hardening.RequestTarget;
import io.edgeray.observe.Attempt;
import io.edgeray.observe.RayId;
import io.edgeray.observe.RaySummary;
import io.edgeray.phase.Peers;
import io.edgeray.phase.Ray;
import io.edgeray.tls.OriginLeg;
import io.edgeray.tls.VisitorTlsInitializer;
import io.edgeray.upstream.Peer;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;

/**
 * The ray being served: what the visitor asked, every attempt at an origin, the timings and the
 * outcome. Phases read it as a {@link Ray}; only the engine writes it, from the visitor's event
 * loop. Frozen into a {@link RaySummary} at the end.
 */
final class Exchange implements Ray {
  final Instant time = Instant.now();
  final long startNanos = System.nanoTime();
  final String ray;
  final String node;
  final String clientIp;
  /** The visitor's address, or null when the peer is not an IP socket (a test's embedded channel). */
  final InetAddress clientAddress;
  final HttpRequest request;
  final boolean https;
  final String protocol;
  final String path;
  final String host;
  final Zone zone;
  final OriginLeg leg;
  final boolean upgradeRequested;
  /** The edge's own doctor sent it (the header carried this edge's {@code DoctorMark}). */
  final boolean doctor;
  /** The edge's own cache refresh sent it (with a one-time token that was good). */
  final boolean fromEdge;
  Peers peers;
  Peer peer;
  int status;
  int originStatus;
  EdgeError error;
  String detail;
  String abort;
  String originAddr;
  final List<Attempt> attempts = new ArrayList<>(2);
  long bytesIn;
  long bytesOut;
  long connectNanos = -1;
  long ttfbNanos = -1;
  /** A ray rarely holds more than one phase's state (the cache's): the first needs no map. */
  private Class<?> firstStateType;
  private Object firstState;
  private Map<Class<?>, Object> states;
  /** Most rays log one field of a phase's (the cache's), or none: the first needs no map. */
  private String firstFieldName;
  private Object firstFieldValue;
  private Map<String, Object> logFields;

  Exchange(String ray, String node, String clientIp, InetAddress clientAddress, HttpRequest request, boolean https,
      String protocol, String host, String path, Zone zone, OriginLeg leg, boolean upgradeRequested, boolean doctor,
      boolean fromEdge) {
    this.protocol = protocol;
    this.ray = ray;
    this.node = node;
    this.clientIp = clientIp;
    this.clientAddress = clientAddress;
    this.request = request;
    this.https = https;
    this.host = host;
    this.path = path;
    this.zone = zone;
    this.leg = leg;
    this.upgradeRequested = upgradeRequested;
    this.doctor = doctor;
    this.fromEdge = fromEdge;
  }

  /**
   * The ray of a request that just came in: its zone and origin leg looked up once, and the marks
   * only the edge may set taken off the request before any phase sees it.
   */
  static Exchange begin(EdgeContext edge, Channel vch, HttpRequest request, String clientIp, InetAddress clientAddress,
      boolean https) {
    EdgeContext.Settings settings = edge.settings;
    RequestTarget target = RequestTarget.of(request);
    var zone = settings.config().zoneFor(target.host()).orElse(null);
    OriginLeg leg = zone == null ? OriginLeg.PLAIN : edge.tls.originLeg(zone, https);
    boolean upgrade = request.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
        && request.headers().contains(HttpHeaderNames.UPGRADE);
    // the doctor's mark is taken off before any phase sees the request: it never reaches an origin
    boolean doctor = edge.doctorMark.takeFrom(request.headers());
    // so is a cache refresh's one-time token: a good one makes this ray the edge's own, a forged or used one a visitor's
    OriginFetch refresh = edge.cache.refreshes().takeFrom(request.headers());
    Exchange ex = new Exchange(RayId.next(settings.config().node()), settings.config().node(), clientIp, clientAddress,
        request, https, VisitorTlsInitializer.viaProtocol(vch, request.protocolVersion()), target.host(), target.path(),
        zone, leg, upgrade, doctor, refresh != null);
    if (refresh != null) ex.state(OriginFetch.class, refresh); // the cache phase's to run
    return ex;
  }

  @Override public String id() { return ray; }
  @Override public String clientIp() { return clientIp; }
  @Override public InetAddress clientAddress() { return clientAddress; }
  @Override public boolean https() { return https; }
  @Override public String protocol() { return protocol; }
  @Override public HttpRequest request() { return request; }
  @Override public String host() { return host; }
  @Override public String path() { return path; }
  @Override public Zone zone() { return zone; }
  @Override public int originPort() { return leg.port(zone.originPorts()); }
  @Override public boolean upgradeRequested() { return upgradeRequested; }
  @Override public Peers peers() { return peers; }
  @Override public Peer peer() { return peer; }
  @Override public boolean fromEdge() { return fromEdge; }

  @Override
  public <T> T state(Class<T> type) {
    if (type == firstStateType) return type.cast(firstState);
    return states == null ? null : type.cast(states.get(type));
  }

  @Override
  public <T> void state(Class<T> type, T value) {
    if (firstStateType == null || firstStateType == type) {
      firstStateType = type;
      firstState = value;
      return;
    }
    if (states == null) states = new HashMap<>(4);
    states.put(type, value);
  }

  @Override
  public void failureHidden(OriginFailure failure) {
    if (error == null) error = failure; // a collapsed wait sets it before the hop back to the loop, which publishes it
  }

  @Override
  public void logField(String name, Object value) {
    if (logFields == null && (firstFieldName == null || firstFieldName.equals(name))) {
      firstFieldName = name;
      firstFieldValue = value;
      return;
    }
    if (logFields == null) {
      logFields = new LinkedHashMap<>(4);
      logFields.put(firstFieldName, firstFieldValue);
    }
    logFields.put(name, value);
  }

  private Map<String, Object> logFields() {
    if (logFields != null) return Map.copyOf(logFields);
    return firstFieldName == null ? Map.of() : Map.of(firstFieldName, firstFieldValue);
  }

  void attempt(String origin, String poolOrigin, OriginFailure failure, String detail, long connectNanos, boolean reused) {
    attempts.add(new Attempt(origin, poolOrigin, failure, detail, connectNanos < 0 ? -1 : connectNanos / 1_000_000, reused));
    originAddr = origin;
    if (failure == null && connectNanos >= 0) this.connectNanos = connectNanos;
  }

  /** Adds to what the log already says (the failure a stale copy hid, a body read on alone). */
  void addDetail(String more) {
    if (more != null) detail = detail == null ? more : detail + "; " + more;
  }

  /** The last attempt, ended by {@code failure} after all. */
  void lastAttemptFailed(OriginFailure failure, String why) {
    if (!attempts.isEmpty()) attempts.set(attempts.size() - 1, attempts.get(attempts.size() - 1).failed(failure, why));
  }

  RaySummary summary() {
    double total = (System.nanoTime() - startNanos) / 1e6;
    return new RaySummary(time, ray, node, clientIp, request.method().name(), host,
        request.uri(), zone == null ? null : zone.name(), status, originStatus, error, detail, abort, originAddr,
        List.copyOf(attempts), bytesIn, bytesOut, total, connectNanos < 0 ? -1 : connectNanos / 1e6,
        ttfbNanos < 0 ? -1 : ttfbNanos / 1e6, request.headers().get(HttpHeaderNames.USER_AGENT), doctor,
        logFields());
  }
}
