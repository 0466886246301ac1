package io.edgeray.fleet;

import io.edgeray.config.FleetSettings;
import io.edgeray.pool.Pools;
import io.edgeray.security.RateCounterStore;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A node's membership of a fleet: the config watch on etcd, the registration under a lease, the
 * shared rate-limit counters on Redis, and the node list. One daemon thread does all the etcd
 * work; nothing here runs on, or blocks, an event loop.
 *
 * <p>Keys under {@code fleet.prefix}: {@code /config} (the shared part of the config as YAML,
 * its mod revision the config revision), {@code /nodes/NAME} (each node's {@link NodeInfo}),
 * {@code /health/NAME} (each node's view of the pool origins, {@link HealthPublisher}),
 * {@code /secret} (the node-to-node credential, {@link FleetSecret}) and {@code /purges/ID} with
 * {@code /purges/ID/acks/NODE} (a purge and who applied it, {@link FleetPurges}).
 */
public final class Fleet implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Fleet.class);
  /** How long a node waits for etcd at start before it serves what it has. */
  public static final Duration FIRST_SYNC = Duration.ofSeconds(3);

  private final FleetSettings settings;
  private final Etcd etcd;
  private final ScheduledExecutorService thread;
  private final ScheduledExecutorService timer;
  private final ConfigWatch watch;
  private final NodeRegistration registration;
  private final RedisRateCounterStore counters;
  private final FleetNodes nodes;
  private final FleetSecret secret;
  private HealthPublisher publisher; // set once by watchHealth, read on the fleet's thread
  private HealthViews views;
  private final FleetPurges purges;
  private final FleetConfigStore config;

  /** How long a change or a purge made through this node's API waits for the fleet before it answers. */
  public static final Duration CONFIRM = Duration.ofSeconds(2);

  private Fleet(FleetSettings settings, Etcd etcd, ScheduledExecutorService thread, ScheduledExecutorService timer, ConfigWatch watch,
      NodeRegistration registration, RedisRateCounterStore counters, FleetNodes nodes, FleetSecret secret,
      FleetPurges purges) {
    this.settings = settings;
    this.etcd = etcd;
    this.thread = thread;
    this.timer = timer;
    this.watch = watch;
    this.registration = registration;
    this.counters = counters;
    this.nodes = nodes;
    this.secret = secret;
    this.purges = purges;
    this.config = new FleetConfigStore(etcd, settings.prefix());
  }

  /** The copy of the fleet's config this node last applied, or null: what it serves before etcd answers. */
  public static SharedConfig lastGood(Path nodeFile, FleetSettings settings) {
    return new LastGoodConfig(nodeFile, settings.node()).read();
  }

  /**
   * Joins the fleet: starts watching etcd's config (applied through {@code applier}) and
   * registering this node. {@code servedRevision} is the revision already served (from
   * {@link #lastGood}), 0 for none; {@code adminUrl} is what the node list shows for it;
   * {@code purger} applies the purges other nodes publish. See {@link #awaitFirstSync()}.
   */
  public static Fleet join(FleetSettings settings, Path nodeFile, long servedRevision, ConfigApplier applier,
      PurgeApplier purger, PrometheusRegistry registry, String version, String adminUrl) {
    Clock clock = Clock.systemUTC();
    FleetMetrics metrics = new FleetMetrics(registry);
    ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "edgeray-fleet");
      t.setDaemon(true);
      return t;
    });
    // the API's waits (a change applied here, a purge's acks) end on time even while the fleet's thread is busy
    java.util.concurrent.ScheduledThreadPoolExecutor timer = new java.util.concurrent.ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "edgeray-fleet-timer");
      t.setDaemon(true);
      return t;
    });
    timer.setRemoveOnCancelPolicy(true);
    Etcd etcd = new Etcd(settings.etcd(), Duration.ofSeconds(2));
    String started = NodeRegistration.now(clock);
    ConfigWatch[] watchRef = new ConfigWatch[1];
    NodeRegistration registration = new NodeRegistration(etcd, settings.prefix() + "/nodes/" + settings.node(),
        settings.lease(), () -> {
          ConfigWatch.Status s = watchRef[0].status();
          return new NodeInfo(settings.node(), settings.location(), adminUrl, version, s.appliedRevision(),
              started, NodeRegistration.now(clock), s.problem());
        });
    FleetPurges purges = new FleetPurges(etcd, settings.prefix(), settings.node(), purger, thread, timer);
    ConfigWatch watch = new ConfigWatch(etcd, settings.prefix() + "/config", applier,
        new LastGoodConfig(nodeFile, settings.node()), servedRevision, metrics, thread, timer, clock,
        registration::refresh, purges);
    watchRef[0] = watch;
    RedisRateCounterStore counters = settings.redis() == null ? null
        : new RedisRateCounterStore(settings.redis(), "edgeray:" + settings.prefix() + ":rl:", settings.redisTimeout(),
            clock, metrics);
    watch.start();
    long every = registration.every().toMillis();
    Fleet fleet = new Fleet(settings, etcd, thread, timer, watch, registration, counters, new FleetNodes(etcd, settings.prefix(), clock),
        new FleetSecret(etcd, settings.prefix()), purges);
    thread.scheduleWithFixedDelay(fleet::refresh, 0, every, TimeUnit.MILLISECONDS);
    return fleet;
  }

  /** Every third of the lease: the registration, the credential, and this node's view of the origins under the lease. */
  private void refresh() {
    registration.refresh();
    secret.refresh();
    if (publisher != null) publisher.publish();
  }

  /**
   * Publishes this node's view of the pools' origins and follows the other nodes' views: each
   * pool's health_quorum counts them from now on, and {@code GET /api/pools} shows them.
   */
  public void watchHealth(Pools pools) {
    // the views are in place before the fleet's first config starts the monitors: until they are
    // read, a health_quorum keeps the origins in rather than let this node's first check alone decide
    HealthViews v = new HealthViews(etcd, settings.prefix(), settings.node(), settings.location(), settings.lease(), thread,
        pools::peersChanged);
    pools.usePeers(v);
    thread.execute(() -> {
      views = v;
      publisher = new HealthPublisher(etcd, settings.prefix(), settings.node(), settings.location(), pools, registration::lease,
          thread, Clock.systemUTC());
      pools.onOwnView(publisher::changed);
      v.start();
      publisher.publish();
    });
  }

  /** The node-to-node credential's secret, or null until etcd first answered. */
  public String secret() {
    return secret.current();
  }

  /** {@code doctor --fleet} from this node: every other node asked over its admin API, this one through {@code local}. */
  public FleetDoctor doctor(java.util.function.Function<byte[], java.util.concurrent.CompletionStage<String>> local) {
    return new FleetDoctor(nodes, secret::current, settings.node(), local);
  }

  /**
   * Waits up to {@link #FIRST_SYNC} for the first answer from etcd, so a fresh node starts with
   * the fleet's zones; false when etcd did not answer in time (the node serves what it has).
   */
  public boolean awaitFirstSync() throws InterruptedException {
    return watch.awaitFirstSync(FIRST_SYNC.toMillis());
  }

  /**
   * Writes a change to the fleet's config made on revision {@code basedOn} (compare-and-swap:
   * {@link FleetConfigStore#write(String, long)}). Blocks for etcd's answer: off any event loop.
   * {@link #applied} then tells when this node has it.
   *
   * @return the revision written
   */
  public long change(String sharedYaml, long basedOn) throws FleetConfigStore.Unreachable, FleetConfigStore.Changed {
    return config.write(sharedYaml, basedOn);
  }

  /**
   * Completes once this node has applied {@code revision} (so that the next request to it sees
   * the change) or refused it, or after {@link #CONFIRM} without either; nobody's thread waits meanwhile.
   */
  public CompletableFuture<ChangeOutcome> applied(long revision) {
    return watch.whenApplied(revision, CONFIRM).whenComplete((o, e) -> {
      if (o != null && o.here() == ChangeOutcome.Here.NOT_YET) {
        LOG.warn("fleet: revision {} was written but this node had not applied it within {} ms ({})", revision,
            CONFIRM.toMillis(), problem());
      }
    });
  }

  /**
   * What became of a change on the node that wrote it: the revision written to etcd (the fleet has
   * it whatever this node did), and whether this node applied it, refused it ({@code problem} with
   * its line, {@code key} the config key when known) or had done neither within {@link #CONFIRM}.
   */
  public record ChangeOutcome(long revision, Here here, String problem, String key) {
    public enum Here { APPLIED, REFUSED, NOT_YET }
  }

  /**
   * Tells every node about a purge this node has applied. The writes block for etcd's answers, so
   * call it off any event loop; what it returns completes when every registered node has
   * acknowledged it, or after {@link #CONFIRM} with those that had not as unconfirmed.
   */
  public CompletableFuture<PurgeOutcome> purge(String zone, String purgeJson) throws FleetConfigStore.Unreachable {
    try {
      return purges.publish(zone, purgeJson, CONFIRM).thenApply(o -> new PurgeOutcome(o.confirmed(), o.unconfirmed()));
    } catch (Etcd.Unreachable e) {
      throw new FleetConfigStore.Unreachable(e.getMessage());
    }
  }

  /** Which nodes confirmed a purge in time. */
  public record PurgeOutcome(java.util.List<String> confirmed, java.util.List<String> unconfirmed) {}

  /** The shared counters, or null when the fleet has no Redis (limits count per node). */
  public RateCounterStore counters() {
    return counters;
  }

  public FleetNodes nodes() {
    return nodes;
  }

  public FleetSettings settings() {
    return settings;
  }

  /** The fleet config revision this node serves. */
  public long revision() {
    return watch.status().appliedRevision();
  }

  /** Why this node may not serve the fleet's newest config (etcd away, a config refused), or null when it does. */
  public String problem() {
    return watch.status().problem();
  }

  public boolean etcdConnected() {
    return watch.status().connected();
  }

  /** The Redis part: null without Redis, else whether it answers. */
  public Boolean redisUp() {
    return counters == null ? null : counters.up();
  }

  /** For {@code /healthz}: one line after {@code ok NODE}. */
  public String health() {
    ConfigWatch.Status s = watch.status();
    StringBuilder b = new StringBuilder("fleet config revision ").append(s.appliedRevision());
    if (s.problem() != null) b.append("; ").append(s.problem());
    if (counters != null && !counters.up()) b.append("; Redis unreachable: rate limits count on this node only");
    return b.toString();
  }

  @Override
  public void close() {
    watch.close();
    thread.execute(() -> {
      if (views != null) views.close();
    });
    thread.submit(registration::close);
    thread.shutdown();
    try {
      thread.awaitTermination(3, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    thread.shutdownNow();
    timer.shutdownNow();
    purges.close();
    if (counters != null) counters.close();
    etcd.close();
  }
}
