package io.edgeray;

import io.edgeray.admin.AdminResponse;
import io.edgeray.admin.AdminServer;
import io.edgeray.admin.MetricsRoute;
import io.edgeray.admin.PurgeRoute;
import io.edgeray.admin.SecurityEventsRoute;
import io.edgeray.config.CannotListenException;
import io.edgeray.config.ConfigException;
import io.edgeray.config.load.ConfigLoader;
import io.edgeray.config.EdgeConfig;
import io.edgeray.dns.AuthoritativeDnsServer;
import io.edgeray.edge.EdgeServer;
import io.edgeray.firewall.EdgeRanges;
import io.edgeray.hardening.EdgeTimers;
import io.edgeray.config.HostPort;
import io.edgeray.doctor.Doctor;
import io.edgeray.incident.Certificates;
import io.edgeray.incident.ChangeFeed;
import io.edgeray.incident.Incidents;
import io.edgeray.incident.IncidentsApi;
import io.edgeray.observe.AccessLog;
import io.edgeray.upstream.EgressSources;
import io.edgeray.observe.EdgeMetrics;
import io.edgeray.observe.RayObserver;
import io.edgeray.pool.PoolMetrics;
import io.edgeray.pool.PoolsJson;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running edge node, assembled from its parts: the visitor listeners, the authoritative DNS
 * server, the access log, the metrics and the admin port. This is what {@code edgeray serve} runs
 * and what tests start. Every part reads the config through the edge server, so a reload reaches
 * all of them at once.
 */
public final class EdgeNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EdgeNode.class);
  private final AtomicBoolean shutDown = new AtomicBoolean();

  private final Path configPath;
  private final AccessLog accessLog;
  private final EdgeMetrics metrics;
  private final EdgeServer server;
  private final AdminServer admin;
  private final AuthoritativeDnsServer dns;
  private final Incidents incidents;

  private EdgeNode(Path configPath, AccessLog accessLog, EdgeMetrics metrics, EdgeServer server, AdminServer admin,
      AuthoritativeDnsServer dns, Incidents incidents) {
    this.configPath = configPath;
    this.accessLog = accessLog;
    this.metrics = metrics;
    this.server = server;
    this.admin = admin;
    this.dns = dns;
    this.incidents = incidents;
  }

  public static EdgeNode start(EdgeConfig config, Path configPath) throws IOException, InterruptedException {
    return start(config, configPath, EdgeTimers.SYSTEM);
  }

  /** @param timers where the edge's own visitor timers are scheduled: {@link EdgeTimers#SYSTEM}, or a test's manual clock */
  public static EdgeNode start(EdgeConfig config, Path configPath, EdgeTimers timers) throws IOException, InterruptedException {
    return start(config, configPath, timers, Clock.systemUTC());
  }

  /** @param clock what incidents count their minutes and close by: the system's, or a test's clock it moves */
  public static EdgeNode start(EdgeConfig config, Path configPath, EdgeTimers timers, Clock clock)
      throws IOException, InterruptedException {
    AccessLog log = new AccessLog(config.accessLog());
    EdgeMetrics metrics = new EdgeMetrics();
    metrics.watchAccessLog(log);
    EdgeServer server = null;
    AdminServer admin = null;
    AuthoritativeDnsServer dns = null;
    Incidents incidents = null;
    // the detector needs the running edge (its mark, its listeners), and the edge needs its observers first
    AtomicReference<RayObserver> detector = new AtomicReference<>(ray -> {});
    warnAboutUnbindableEgress(config);
    try {
      server = EdgeServer.start(config, RayObserver.all(log, metrics, ray -> detector.get().rayFinished(ray)),
          Runtime.getRuntime().availableProcessors(), metrics.registry(), timers);
      EdgeServer s = server;
      incidents = startIncidents(s, configPath, clock);
      detector.set(incidents.observer());
      IncidentsApi incidentsApi = new IncidentsApi(incidents);
      if (config.dnsListen() != null) {
        try {
          dns = AuthoritativeDnsServer.start(config.dnsListen().toSocketAddress(), s::config, metrics::dnsAnswered);
        } catch (IOException e) {
          throw CannotListenException.of("dns", config.dnsListen(), e.getCause() == null ? e : e.getCause());
        }
      }
      PoolMetrics.register(metrics.registry(), s.pools());
      if (config.adminListen() != null) {
        admin = new AdminServer()
            .route("/metrics", new MetricsRoute(metrics.registry()))
            .route("/api/pools", (m, q) -> AdminResponse.json(200, PoolsJson.of(s.pools())))
            .route("/healthz", (m, q) -> AdminResponse.text(200, "ok " + s.config().node() + "\n"))
            // the edge's published egress ranges, for origin firewalls to allowlist
            .route("/ips-v4", (m, q) -> AdminResponse.text(200, EdgeRanges.of(s.config().edge()).ipv4Text()))
            .route("/ips-v6", (m, q) -> AdminResponse.text(200, EdgeRanges.of(s.config().edge()).ipv6Text()))
            .route("/api/incidents", (m, q) -> m.equals("GET") ? answer(incidentsApi.list(query(q))) : onlyGet())
            .routeUnder("/api/incidents/", (m, rest, body) -> m.equals("GET")
                ? answer(incidentsApi.get(rest.contains("?") ? rest.substring(0, rest.indexOf('?')) : rest)) : onlyGet())
            .routeUnder(PurgeRoute.PREFIX, new PurgeRoute(s.cache(), s::config)) // POST /api/zones/{zone}/purge
            .routeUnder(PurgeRoute.PREFIX, new SecurityEventsRoute(s.securityEvents(), s::config)) // GET …/{zone}/security/events
            .route("/api/ips", (m, q) -> {
              EdgeRanges ranges = EdgeRanges.of(s.config().edge());
              return AdminResponse.json(200, ranges.json()).withHeader("ETag", "\"" + ranges.etag() + "\"");
            })
            .start(config.adminListen());
      }
      EdgeNode node = new EdgeNode(configPath, log, metrics, server, admin, dns, incidents);
      if (admin != null) {
        admin.route("/reload", (m, q) -> {
          if (!m.equals("POST")) return AdminResponse.text(405, "use POST to reload the config file\n");
          String error = node.reload();
          return error == null ? AdminResponse.text(200, "reloaded\n") : AdminResponse.text(400, error + "\n");
        });
      }
      return node;
    } catch (RuntimeException | InterruptedException e) {
      if (incidents != null) incidents.close();
      if (dns != null) dns.close();
      if (admin != null) admin.close();
      if (server != null) server.close();
      log.close();
      throw e;
    }
  }

  /**
   * Incidents: the detector on the rays, the doctor with the edge's mark and listeners, and the
   * changes it quotes (pool and origin state changes here, reloads in {@link #reload()}). The mark
   * goes to {@code state/doctor-key} beside the config for the command-line doctor.
   */
  private static Incidents startIncidents(EdgeServer s, Path configPath, Clock clock) {
    if (configPath != null) {
      try {
        s.doctorMark().writeBeside(configPath);
      } catch (IOException e) {
        LOG.warn("cannot write {}: the command-line doctor's requests will count as a visitor's ({})",
            io.edgeray.observe.DoctorMark.fileBeside(configPath), e.getMessage());
      }
    }
    Incidents incidents = new Incidents(clock, s::config, () -> asBound(s), Doctor.Settings.defaults().withMark(s.doctorMark()),
        configPath, Duration.ofSeconds(1));
    s.pools().onChange(c -> incidents.changes().add(
        c.newState().equals("ejected") ? ChangeFeed.ORIGIN_EJECTED : ChangeFeed.POOL_STATE,
        (c.ofPool() ? "pool " + c.pool() : "origin " + c.pool() + "." + c.origin()) + " " + c.oldState() + " -> "
            + c.newState() + ": " + c.reason()));
    return incidents;
  }

  /** The running config with the listeners as bound (a config may ask for port 0), so the doctor reaches this edge. */
  private static EdgeConfig asBound(EdgeServer s) {
    EdgeConfig c = s.config();
    InetSocketAddress http = s.address();
    InetSocketAddress https = s.httpsAddress();
    return new EdgeConfig(c.source(), c.node(), new HostPort(http.getAddress().getHostAddress(), http.getPort()),
        c.adminListen(), c.accessLog(), c.limits(), c.zones(), c.resolvers(), c.edge(), c.dnsListen(),
        https == null ? c.httpsListen() : new HostPort(https.getAddress().getHostAddress(), https.getPort()), c.pools(),
        c.features());
  }

  private static AdminResponse onlyGet() {
    return AdminResponse.json(405, "{\"error\":{\"code\":\"method_not_allowed\",\"message\":\"use GET\",\"field\":null}}")
        .withHeader("Allow", "GET");
  }

  private static AdminResponse answer(IncidentsApi.Answer a) {
    return AdminResponse.json(a.status(), a.json());
  }

  private static java.util.Map<String, String> query(String q) {
    java.util.Map<String, String> out = new java.util.HashMap<>();
    new QueryStringDecoder(q, false).parameters().forEach((k, v) -> out.put(k, v.get(0)));
    return out;
  }

  /**
   * Reads the config file again. A bad file changes nothing: the old config stays and the error,
   * with its line, is returned and logged.
   */
  public String reload() {
    accessLog.reopen(); // whatever the file says: after logrotate renamed the log, write a new one
    if (configPath == null) return "no config file to reload";
    try {
      EdgeConfig next = ConfigLoader.load(configPath, listeners()); // origins checked against the running listeners
      if (!next.httpListen().equals(server.config().httpListen())
          || !java.util.Objects.equals(next.httpsListen(), server.config().httpsListen())) {
        LOG.warn("reload: listen address changes take effect only after a restart");
      }
      if (!java.util.Objects.equals(next.dnsListen(), server.config().dnsListen())) {
        LOG.warn("reload: the DNS listen address changes only after a restart; zones and records change now");
      }
      warnAboutUnbindableEgress(next);
      var certificatesBefore = Certificates.fingerprints(server.config());
      server.reload(next);
      LOG.info("reloaded {}: {} zones", configPath, next.zones().size());
      incidents.changes().add(ChangeFeed.CONFIG_RELOAD, "config reloaded from " + configPath + ": " + next.zones().size() + " zones");
      Certificates.rotated(certificatesBefore, Certificates.fingerprints(next))
          .forEach(what -> incidents.changes().add(ChangeFeed.CERTIFICATE, what));
      return null;
    } catch (ConfigException e) {
      LOG.error("reload failed, keeping the running config: {}", e.getMessage());
      return e.getMessage();
    }
  }

  /** The listeners as bound, by config key: a reload keeps them, so new origins are checked against them. */
  private java.util.Map<String, InetSocketAddress> listeners() {
    java.util.Map<String, InetSocketAddress> bound = new java.util.LinkedHashMap<>();
    bound.put("listen.http", httpAddress());
    bound.put("listen.https", httpsAddress());
    bound.put("admin", adminAddress());
    bound.put("dns", dnsAddress());
    return bound;
  }

  /** The access log, for tests and for the signal handler. */
  public AccessLog accessLog() {
    return accessLog;
  }

  private static void warnAboutUnbindableEgress(EdgeConfig config) {
    new EgressSources(config.edge().egress()).unbindable().forEach((address, why) -> LOG.warn(
        "edge.egress {} is not an address of this host ({}): connections to origins from it will fail with 523",
        address.getHostAddress(), why));
  }

  public InetSocketAddress httpAddress() {
    return server.address();
  }

  /** The HTTPS listener's address, or null when HTTPS is off. */
  public InetSocketAddress httpsAddress() {
    return server.httpsAddress();
  }

  /** The authoritative DNS server's address (UDP and TCP), or null when it is not configured. */
  public InetSocketAddress dnsAddress() {
    return dns == null ? null : dns.localAddress();
  }

  public InetSocketAddress adminAddress() {
    return admin == null ? null : admin.address();
  }

  public EdgeServer server() {
    return server;
  }

  public EdgeMetrics metrics() {
    return metrics;
  }

  /** Stops accepting, lets in-flight rays finish within the grace period, then flushes the log. */
  public void shutdown(Duration grace) {
    if (!shutDown.compareAndSet(false, true)) return; // SIGTERM and close() may both get here
    server.shutdown(grace);
    if (dns != null) dns.close();
    if (admin != null) admin.close();
    incidents.close();
    accessLog.close();
  }

  /** The incidents this node opened (and the ones its earlier runs kept). */
  public Incidents incidents() {
    return incidents;
  }

  @Override
  public void close() {
    shutdown(Duration.ZERO);
  }
}
