package io.edgeray.doctor;

import io.edgeray.config.EdgeConfig;
import io.edgeray.observe.DoctorMark;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs the origin-failure checklist for one host. The records are read first (they say where the
 * origin is), then this machine's listener table; every other check then runs at once (the request
 * through the edge and the access log from the start), each probe bounded as a whole by the probe
 * timeout, so even a black-holed origin costs the timeout plus a little, not the edge's 19 s
 * connect timeout, and never one timeout per port or source.
 */
public final class Doctor {
  /**
   * @param probeTimeout each connect, handshake and response head waits at most this long
   * @param mark sent with the request through the edge, so the edge logs it as the doctor's and counts it nowhere;
   *     null when the edge's mark is not known (the request then counts as a visitor's)
   */
  public record Settings(Duration probeTimeout, Path procNet, Clock clock, DoctorMark mark) {
    public Settings(Duration probeTimeout, Path procNet, Clock clock) {
      this(probeTimeout, procNet, clock, null);
    }

    public static Settings defaults() {
      return new Settings(Duration.ofSeconds(3), Path.of("/proc/net"), Clock.systemUTC());
    }

    public Settings withMark(DoctorMark m) {
      return new Settings(probeTimeout, procNet, clock, m);
    }
  }

  private final Settings settings;

  public Doctor(Settings settings) {
    this.settings = settings;
  }

  /**
   * How much longer than the probe timeout a whole run may take: the records (a CNAME lookup) come
   * first and everything else at once, so a run ends within the timeout plus this, whatever the
   * origin does. The probes that start after a slow lookup get what is left of the budget.
   */
  static final Duration SLACK = Duration.ofMillis(1500);

  public Report examine(EdgeConfig config, DoctorTarget asked) {
    // a bare host name means "what visitors get": over HTTP only, when the edge has no HTTPS listener
    DoctorTarget target = !asked.schemeGiven() && config.httpsListen() == null ? asked.overHttp() : asked;
    Instant started = settings.clock().instant();
    long t0 = System.nanoTime();
    // probes block a thread each while they wait: one thread per probe in flight, so none queues behind another
    ExecutorService pool = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "edgeray-doctor");
      t.setDaemon(true);
      return t;
    });
    try (OriginProbe edgeProbe = new OriginProbe(settings.probeTimeout(), settings.mark())) {
      // the edge and the access log do not depend on the records: they start at once
      var edge = async(pool, () -> ThroughEdgeCheck.run(config, target, edgeProbe));
      var history = async(pool, () -> HistoryCheck.run(config.accessLog(), null, target.host(), settings.clock()));
      var records = timed(() -> RecordsCheck.run(config, target, settings.probeTimeout()));
      OriginPlan plan = records.value().plan();
      // the listener table is read before any probe starts, so the doctor's own connections never
      // show up as a backed-up accept queue
      Timed<LocalListenersCheck.Result> listeners = plan == null ? null
          : timed(() -> LocalListenersCheck.run(plan, settings.procNet()));
      Timed<DirectCheck.Result> direct = null;
      Timed<EgressCheck.Result> egress = null;
      Timed<TlsCheck.Result> tls = null;
      if (plan != null) {
        try (OriginProbe probe = new OriginProbe(originProbeTimeout(t0))) {
          var d = async(pool, () -> DirectCheck.run(plan, target, probe, config.node(), pool));
          var e = async(pool, () -> EgressCheck.run(config, plan, probe, pool));
          var s = async(pool, () -> TlsCheck.run(plan, target, probe, settings.clock()));
          direct = d.join();
          egress = e.join();
          tls = s.join();
        }
      }
      Timed<ThroughEdgeCheck.Result> edgeResult = edge.join();
      Timed<HistoryCheck.Result> historyResult = history.join();
      Evidence evidence = new Evidence(records.value(), edgeResult.value(), value(direct), value(egress), value(listeners),
          value(tls), historyResult.value());
      List<CheckResult> checks = new ArrayList<>();
      checks.add(records.check(RecordsCheck.Result::check));
      checks.add(edgeResult.check(ThroughEdgeCheck.Result::check));
      if (plan != null) {
        checks.add(direct.check(DirectCheck.Result::check));
        checks.add(egress.check(EgressCheck.Result::check));
        checks.add(tls.check(TlsCheck.Result::check));
        checks.add(listeners.check(LocalListenersCheck.Result::check));
      }
      checks.add(historyResult.check(HistoryCheck.Result::check));
      List<String> rays = new ArrayList<>();
      if (edgeResult.value().ray() != null) rays.add(edgeResult.value().ray());
      historyResult.value().sampleRays().stream().filter(r -> !rays.contains(r)).forEach(rays::add);
      return new Report(target.host(), config.node(), started, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0),
          Diagnosis.diagnose(evidence), checks, rays, false, failureSeen(edgeResult.value(), value(direct)));
    } finally {
      pool.shutdownNow();
    }
  }

  /** What a visitor of this node gets (the edge's answer), else what the direct probe saw. */
  private static io.edgeray.failure.OriginFailure failureSeen(ThroughEdgeCheck.Result edge, DirectCheck.Result direct) {
    if (edge.failure() != null) return edge.failure();
    if (direct == null || edge.check().outcome() == Outcome.PASSED) return null;
    return direct.primary().stream().map(ProbeResult::failureClass).filter(java.util.Objects::nonNull).findFirst().orElse(null);
  }

  /** The probe timeout, or what is left of the run's budget after the records when that is less. */
  private Duration originProbeTimeout(long t0) {
    Duration spent = Duration.ofNanos(System.nanoTime() - t0);
    Duration left = settings.probeTimeout().plus(SLACK).minus(spent);
    Duration floor = Duration.ofMillis(Math.min(250, settings.probeTimeout().toMillis()));
    return left.compareTo(settings.probeTimeout()) > 0 ? settings.probeTimeout() : left.compareTo(floor) < 0 ? floor : left;
  }

  private record Timed<T>(T value, long millis) {
    CheckResult check(Function<T, CheckResult> of) {
      return of.apply(value).took(millis);
    }
  }

  private static <T> Timed<T> timed(Supplier<T> work) {
    long t = System.nanoTime();
    T v = work.get();
    return new Timed<>(v, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t));
  }

  private static <T> CompletableFuture<Timed<T>> async(ExecutorService pool, Supplier<T> work) {
    return CompletableFuture.supplyAsync(() -> timed(work), pool);
  }

  private static <T> T value(Timed<T> t) {
    return t == null ? null : t.value();
  }
}
