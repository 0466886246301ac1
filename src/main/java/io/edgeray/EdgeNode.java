package io.edgeray;

import io.edgeray.admin.AdminAccess;
import io.edgeray.admin.AdminModule;
import io.edgeray.admin.DoctorModule;
import io.edgeray.analytics.Analytics;
import io.edgeray.analytics.RayIndex;
import io.edgeray.config.HostPort;
import io.edgeray.doctor.Doctor;
import io.edgeray.doctor.DoctorRuns;
import io.edgeray.admin.AdminServer;
import io.edgeray.admin.AuditLog;
import io.edgeray.admin.LocalToken;
import io.edgeray.admin.SignInLimiter;
import io.edgeray.config.AdminSettings;
import io.edgeray.admin.NodeModule;
import io.edgeray.admin.PurgeModule;
import io.edgeray.config.CannotListenException;
import io.edgeray.config.ConfigException;
import io.edgeray.config.edit.ConfigEditor;
import io.edgeray.config.EdgeConfig;
import io.edgeray.dns.AuthoritativeDnsServer;
import io.edgeray.edge.EdgeServer;
import io.edgeray.fleet.Fleet;
import io.edgeray.fleet.FleetConfigLoader;
import io.edgeray.fleet.SharedConfig;
import io.edgeray.hardening.EdgeTimers;
import io.edgeray.incident.Certificates;
import io.edgeray.incident.ChangeFeed;
import io.edgeray.incident.Incidents;
import io.edgeray.observe.DoctorMark;
import io.edgeray.observe.AccessLog;
import io.edgeray.upstream.EgressSources;
import io.edgeray.observe.EdgeMetrics;
import io.edgeray.observe.RayObserver;
import io.edgeray.pool.PoolMetrics;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
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
  /** The fleet this node belongs to, or null when it stands alone; set once, at start. */
  private volatile Fleet fleet;
  /** The fleet's part of the config being served (null before the first): a reload of the node's file keeps it. */
  private SharedConfig shared;
  /** Completes {@link #SETTLE} after the visitor listeners are bound. */
  private CompletionStage<Void> serving;
  /**
   * How long after the bind the edge's own background work waits (the ray index's read of the
   * old log, the JIT warm-up): on one core it would otherwise take turns with the first visitors.
   */
  private static final Duration SETTLE = Duration.ofSeconds(1);
  private final ConfigEditor editor; // null without a config file
  private final Analytics analytics;
  private final RayIndex rays;
  private final DoctorRuns doctor;
  private final Incidents incidents;

  private EdgeNode(Path configPath, AccessLog accessLog, EdgeMetrics metrics, EdgeServer server, AdminServer admin,
      AuthoritativeDnsServer dns, ConfigEditor editor, Analytics analytics, RayIndex rays, DoctorRuns doctor,
      Incidents incidents) {
    this.configPath = configPath;
    this.accessLog = accessLog;
    this.metrics = metrics;
    this.server = server;
    this.admin = admin;
    this.dns = dns;
    this.editor = editor;
    this.analytics = analytics;
    this.rays = rays;
    this.doctor = doctor;
    this.incidents = incidents;
  }

  public static EdgeNode start(EdgeConfig config, Path configPath) throws IOException, InterruptedException {
    return start(config, configPath, EdgeTimers.SYSTEM);
  }

  /** @param timers where the edge's own visitor timers are scheduled: {@link EdgeTimers#SYSTEM}, or a test's manual clock */
  public static EdgeNode start(EdgeConfig config, Path configPath, EdgeTimers timers) throws IOException, InterruptedException {
    return start(config, configPath, timers, Clock.systemUTC());
  }

  /** @param clock the minutes analytics counts rays in and incidents open and close by: the system's, or a test's that it moves */
  public static EdgeNode start(EdgeConfig config, Path configPath, EdgeTimers timers, Clock clock)
      throws IOException, InterruptedException {
    CompletableFuture<Void> serving = new CompletableFuture<>(); // see servingForASecond()
    RayIndex rays = config.accessLog().equals("-") ? null : new RayIndex(RayIndex.DEFAULT_CAPACITY, serving);
    AccessLog log = new AccessLog(config.accessLog(), rays == null ? AccessLog.Lines.NONE : rays);
    EdgeMetrics metrics = new EdgeMetrics();
    metrics.watchAccessLog(log);
    AtomicReference<EdgeServer> started = new AtomicReference<>();
    EdgeConfig fromFile = config; // a fleet node's config is completed from its saved fleet part below
    Supplier<EdgeConfig> live = () -> started.get() == null ? fromFile : started.get().config();
    Analytics analytics = Analytics.start(clock, live, Analytics.dirBeside(config.accessLog()));
    EdgeServer server = null;
    AdminServer admin = null;
    AuthoritativeDnsServer dns = null;
    SharedConfig saved = null;
    if (config.fleet() != null && configPath != null) {
      // serve what this node served last, until etcd answers (or if it never does)
      saved = Fleet.lastGood(configPath, config.fleet());
      if (saved != null) {
        try {
          config = FleetConfigLoader.load(configPath, saved, "the saved fleet config (revision " + saved.revision() + ")", null);
        } catch (ConfigException e) {
          LOG.warn("fleet: the saved fleet config does not fit this node's file any more, waiting for etcd's: {}", e.getMessage());
          saved = null;
        }
      }
    }
    DoctorRuns doctor = null;
    Incidents incidents = null;
    // the detector needs the running edge (its mark, its listeners), and the edge needs its observers first
    AtomicReference<RayObserver> detector = new AtomicReference<>(ray -> {});
    warnAboutUnbindableEgress(config);
    CompletableFuture<Vertx> adminBoot = null;
    try {
      server = EdgeServer.start(config, RayObserver.all(log, metrics, analytics, ray -> detector.get().rayFinished(ray)),
          Runtime.getRuntime().availableProcessors(), metrics.registry(), timers);
      started.set(server);
      CompletableFuture.delayedExecutor(SETTLE.toMillis(), TimeUnit.MILLISECONDS).execute(() -> serving.complete(null));
      // Vert.x boots once the visitor listeners are bound: on one or two cores its class loading
      // would otherwise take turns on the core with the edge's own start, and visitors come first
      if (config.admin() != null) adminBoot = AdminServer.boot();
      EdgeServer s = server;
      Incidents inc = incidents = startIncidents(s, configPath, clock);
      detector.set(incidents.observer());
      if (config.dnsListen() != null) {
        try {
          dns = AuthoritativeDnsServer.start(config.dnsListen().toSocketAddress(), s::config, metrics::dnsAnswered);
        } catch (IOException e) {
          throw CannotListenException.of("dns", config.dnsListen(), e.getCause() == null ? e : e.getCause());
        }
      }
      PoolMetrics.register(metrics.registry(), s.pools());
      EdgeNode[] self = new EdgeNode[1]; // /reload needs the node, which needs the admin server: filled in below
      // the file's hash is taken now, before anything can change it through the admin API
      ConfigEditor editor = configPath == null ? null : ConfigEditor.of(configPath,
          () -> self[0] == null ? null : self[0].listeners(), s::config, next -> apply(s, next, inc.changes()));
      // the doctor's requests through the edge carry its mark: logged as the doctor's, counted nowhere
      doctor = new DoctorRuns(() -> asBound(s.config(), s), Doctor.Settings.defaults().withMark(s.doctorMark()));
      if (config.admin() != null) {
        // wrong bearer tokens per address, limited like failed sign-ins (each counted on its own:
        // a script with a stale token does not lock a person out of the dashboard, nor the other way round)
        SignInLimiter wrongTokens = SignInLimiter.standard();
        List<AdminModule> modules = AdminModules.of(config, configPath, s, metrics, analytics, rays, doctor, incidents, editor,
            () -> self[0]);
        AdminAccess access = access(config, configPath, s, wrongTokens,
            () -> self[0] == null || self[0].fleet == null ? null : self[0].fleet.secret());
        CompletableFuture<Vertx> booting = adminBoot;
        adminBoot = null; // start() owns it now, and closes it on failure
        admin = AdminServer.start(booting, config.admin(), access, modules);
      }
      EdgeNode node = new EdgeNode(configPath, log, metrics, server, admin, dns, editor, analytics, rays, doctor, incidents);
      node.serving = serving;
      self[0] = node;
      if (config.fleet() != null) {
        node.shared = saved;
        node.fleet = Fleet.join(config.fleet(), configPath, saved == null ? 0 : saved.revision(), node::applyFleet,
            (zone, purge) -> PurgeModule.apply(s.cache(), s.config(), zone, purge.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
            metrics.registry(), version(), adminUrl(config.fleet().adminUrl(), admin));
        if (node.fleet.counters() != null) server.useRateCounters(node.fleet.counters());
        node.fleet.watchHealth(server.pools());
        if (!node.fleet.awaitFirstSync()) {
          LOG.warn("fleet: etcd did not answer within {}; serving the config this node has until it does", Fleet.FIRST_SYNC);
        }
      }
      return node;
    } catch (RuntimeException | InterruptedException | IOException e) {
      if (dns != null) dns.close();
      if (admin != null) admin.close();
      if (adminBoot != null) AdminServer.abandon(adminBoot);
      if (server != null) server.close();
      if (doctor != null) doctor.close();
      if (incidents != null) incidents.close();
      analytics.close();
      log.close();
      if (rays != null) rays.close();
      throw e;
    }
  }

  /**
   * The admin API's tokens: the config's, or with none configured an edit token made for this
   * host in {@code state/admin-token} beside the config. The audit log goes beside the access log.
   */
  private static AdminAccess access(EdgeConfig config, Path configPath, EdgeServer s, SignInLimiter wrongTokens,
      Supplier<String> fleetSecret) throws IOException {
    Path state = LocalToken.fileFor(configPath).getParent();
    String localToken = null;
    Path localFile = null;
    if (config.admin().tokens().isEmpty()) {
      localFile = LocalToken.fileFor(configPath);
      localToken = LocalToken.loadOrCreate(localFile);
      LOG.info("no admin.tokens in the config: the admin API's edit token for this host is in {}", localFile);
    }
    Path auditFile = config.accessLog().equals("-") ? state.resolve("audit.jsonl")
        : Path.of(config.accessLog()).toAbsolutePath().resolveSibling("audit.jsonl");
    AdminSettings started = config.admin();
    return new AdminAccess(() -> s.config().admin() != null ? s.config().admin() : started, localToken, localFile,
        new AuditLog(auditFile), Clock.systemUTC(), wrongTokens, fleetSecret);
  }

  /**
   * Reads the config file again. A bad file changes nothing: the old config stays and the error,
   * with its line, is returned and logged; null when the config is in service.
   */
  public String reload() {
    return reloaded().error();
  }

  /** As {@link #reload()}, with what the reload could not take although the config did (the admin certificate). */
  public synchronized NodeModule.Reloaded reloaded() {
    accessLog.reopen(); // whatever the file says: after logrotate renamed the log, write a new one
    if (editor == null) return new NodeModule.Reloaded("no config file to reload", null);
    try {
      EdgeConfig next;
      if (fleet != null && shared != null) { // the node's file with the fleet's part from etcd
        next = FleetConfigLoader.load(configPath, shared, "etcd (revision " + shared.revision() + ")", listeners());
        if (!java.util.Objects.equals(next.fleet(), server.config().fleet())) {
          LOG.warn("reload: fleet settings change only after a restart");
        }
        apply(server, next, incidents.changes());
      } else {
        next = editor.reload(); // through the editor, so a change made through the API knows what was loaded
      }
      LOG.info("reloaded {}: {} zones", configPath, next.zones().size());
      // its files may have changed, or the config names others; a pair that does not take keeps the
      // old certificate in service and is the reload's warning, not its failure: the config is in
      return new NodeModule.Reloaded(null, admin == null ? null : admin.reloadCertificate());
    } catch (ConfigException e) {
      LOG.error("reload failed, keeping the running config: {}", e.getMessage());
      return new NodeModule.Reloaded(e.getMessage(), null);
    }
  }

  /**
   * Applies the fleet's part of the config from etcd, with this node's own file, through the same
   * path as a reload: in-flight rays finish on the config they started with. A config that does
   * not load changes nothing; the exception names its line in etcd's text.
   */
  private synchronized void applyFleet(SharedConfig next, String source) throws ConfigException {
    EdgeConfig config = FleetConfigLoader.load(configPath, next, source, listeners());
    apply(server, config, incidents.changes());
    shared = next;
  }

  /** What an API change on this fleet node is based on: the fleet's part it serves and the config made of it, together. */
  synchronized io.edgeray.config.edit.EditedText.Base fleetBase() {
    return SharedConfigText.base(shared, server.config());
  }

  /** {@code POST /api/doctor {"host", "fleet": true}}: the doctor on every node of the fleet, this one's run here. */
  static java.util.concurrent.CompletionStage<String> fleetDoctor(EdgeNode node, byte[] body) {
    Fleet f = node == null ? null : node.fleet;
    if (f == null) throw DoctorModule.noFleet();
    return f.doctor(node.doctor::run).run(DoctorRuns.askedHost(body)).thenApply(io.edgeray.fleet.FleetDoctor.Result::json);
  }

  static String fleetHealth(EdgeNode node) {
    Fleet f = node == null ? null : node.fleet;
    return f == null ? "" : " (" + f.health() + ")";
  }

  private static String adminUrl(String configured, AdminServer admin) {
    if (configured != null || admin == null) return configured;
    InetSocketAddress a = admin.address();
    String host = a.getAddress().getHostAddress();
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
  }

  /** This build's version, as the node list shows it. */
  private static String version() {
    try (java.io.InputStream in = EdgeNode.class.getResourceAsStream("/io/edgeray/version.properties")) {
      java.util.Properties p = new java.util.Properties();
      if (in != null) p.load(in);
      String v = p.getProperty("version", "dev");
      return v.startsWith("${") ? "dev" : v;
    } catch (IOException e) {
      return "dev";
    }
  }

  /** The fleet this node belongs to, or null when it stands alone. */
  public Fleet fleet() {
    return fleet;
  }

  /** Swaps a new config in, from a reload or a change made through the admin API. */
  /**
   * Incidents: the detector on the rays, the doctor with the edge's mark and listeners, and the
   * changes it quotes (pool and origin state changes here, config changes in {@link #apply}). The
   * mark goes to {@code state/doctor-key} beside the config for the command-line doctor.
   */
  private static Incidents startIncidents(EdgeServer s, Path configPath, Clock clock) {
    if (configPath != null) {
      try {
        s.doctorMark().writeBeside(configPath);
      } catch (IOException e) {
        LOG.warn("cannot write {}: the command-line doctor's requests will count as a visitor's ({})",
            DoctorMark.fileBeside(configPath), e.getMessage());
      }
    }
    Incidents incidents = new Incidents(clock, s::config, () -> asBound(s.config(), s),
        Doctor.Settings.defaults().withMark(s.doctorMark()), configPath, Duration.ofSeconds(1));
    s.pools().onChange(c -> incidents.changes().add(
        c.newState().equals("ejected") ? ChangeFeed.ORIGIN_EJECTED : ChangeFeed.POOL_STATE,
        (c.ofPool() ? "pool " + c.pool() : "origin " + c.pool() + "." + c.origin()) + " " + c.oldState() + " -> "
            + c.newState() + ": " + c.reason()));
    return incidents;
  }

  /** Swaps in a new config (a reload, or a change through the admin API) and notes it, and any certificate it rotates, for incidents. */
  private static void apply(EdgeServer server, EdgeConfig next, ChangeFeed changes) {
    if (!next.httpListen().equals(server.config().httpListen())
        || !java.util.Objects.equals(next.httpsListen(), server.config().httpsListen())) {
      LOG.warn("reload: listen address changes take effect only after a restart");
    }
    if (!java.util.Objects.equals(next.dnsListen(), server.config().dnsListen())) {
      LOG.warn("reload: the DNS listen address changes only after a restart; zones and records change now");
    }
    if (!java.util.Objects.equals(next.adminListen(), server.config().adminListen())
        || next.admin() != null && server.config().admin() != null && (next.admin().tls() == null) != (server.config().admin().tls() == null)) {
      LOG.warn("reload: the admin listen address, and HTTP or HTTPS, change only after a restart; tokens and the certificate change now");
    }
    warnAboutUnbindableEgress(next);
    var certificatesBefore = Certificates.fingerprints(server.config());
    server.reload(next);
    changes.add(ChangeFeed.CONFIG_RELOAD, "config changed: " + next.zones().size() + " zones");
    Certificates.rotated(certificatesBefore, Certificates.fingerprints(next)).forEach(what -> changes.add(ChangeFeed.CERTIFICATE, what));
  }

  /** The listeners as bound, by config key: a reload keeps them, so new origins are checked against them. */
  java.util.Map<String, InetSocketAddress> listeners() {
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

  /** Completes a second after the visitor listeners were bound: when background work may start. */
  public CompletionStage<Void> servingForASecond() {
    return serving;
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
    if (fleet != null) fleet.close(); // leaves the node list at once; no config change arrives while draining
    server.shutdown(grace);
    if (dns != null) dns.close();
    if (admin != null) admin.close();
    doctor.close();
    incidents.close();
    analytics.close(); // after the last ray: the minute being counted is written too
    accessLog.close();
    if (rays != null) rays.close();
  }

  /** The running config with the listeners where they are bound (a port of 0 in the file is the port the system gave). */
  /** The incidents this node opened (and the ones its earlier runs kept). */
  public Incidents incidents() {
    return incidents;
  }

  private static EdgeConfig asBound(EdgeConfig c, EdgeServer s) {
    InetSocketAddress https = s.httpsAddress();
    HostPort http = new HostPort(s.address().getHostString(), s.address().getPort());
    return new EdgeConfig(c.source(), c.node(), http, c.admin(), c.accessLog(), c.limits(), c.zones(), c.resolvers(), c.edge(),
        c.dnsListen(), https == null ? null : new HostPort(https.getHostString(), https.getPort()), c.pools(), c.features(), c.fleet());
  }

  @Override
  public void close() {
    shutdown(Duration.ZERO);
  }
}
