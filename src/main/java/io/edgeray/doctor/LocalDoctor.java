package io.edgeray.doctor;

import io.edgeray.config.Cidr;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code edgeray doctor --local}: the checklist run on the origin host itself (Linux), where the
 * edge cannot look: listeners, web server processes and units, firewall rules, resources and
 * error logs. Every check runs at once; a tool that is absent makes its check "skipped".
 */
public final class LocalDoctor {
  /**
   * @param edgeRanges the edge's published egress ranges, matched against firewall rules
   * @param proc the proc file system ({@code /proc}); tests may point elsewhere
   * @param root where {@code /etc} and {@code /var} are found ({@code /}): CSF's lists, lfd's and
   *     ModSecurity's logs, firewalld's zones; tests point it at a directory of sample files
   */
  public record Settings(List<Integer> ports, List<Cidr> edgeRanges, Path proc, List<Path> errorLogs, Duration toolTimeout,
      Clock clock, Path root) {
    /** The real host: /proc, the usual error logs, the system clock. */
    public static Settings of(List<Integer> ports, List<Cidr> edgeRanges, Duration toolTimeout) {
      return new Settings(ports, edgeRanges, Path.of("/proc"), ErrorLogsCheck.USUAL, toolTimeout, Clock.systemUTC(), Path.of("/"));
    }
  }

  private final Settings settings;

  public LocalDoctor(Settings settings) {
    this.settings = settings;
  }

  public Report examine() {
    Instant started = settings.clock().instant();
    long t0 = System.nanoTime();
    // the checks wait on tools and files, not on the CPU: a thread each, so all of them run at once
    ExecutorService pool = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "edgeray-doctor-local");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Cidr> ranges = settings.edgeRanges();
      var ports = timed(pool, () -> LocalPortsCheck.run(settings.ports(), settings.proc().resolve("net")), LocalPortsCheck.Result::check);
      var processes = timed(pool, () -> WebServerProcessesCheck.run(settings.proc(), settings.toolTimeout()),
          WebServerProcessesCheck.Result::check);
      var firewall = timed(pool, () -> FirewallRulesCheck.run(ranges, settings.ports(), settings.toolTimeout(), pool),
          FirewallRulesCheck.Result::check);
      var firewalld = timed(pool, () -> FirewalldCheck.run(settings.root(), ranges, settings.toolTimeout()), FirewalldCheck.Result::check);
      var csf = timed(pool, () -> CsfCheck.run(settings.root(), ranges), CsfCheck.Result::check);
      var modsec = timed(pool, () -> ModSecurityCheck.run(settings.root(), ranges), ModSecurityCheck.Result::check);
      var resources = timed(pool, () -> ResourcesCheck.run(settings.proc(), settings.ports(), ListenBacklogs.read(settings.toolTimeout())),
          ResourcesCheck.Result::check);
      var logs = timed(pool, () -> ErrorLogsCheck.run(settings.errorLogs()), ErrorLogsCheck.Result::check);
      CompletableFuture.allOf(ports, processes, firewall, firewalld, csf, modsec, resources, logs).join();
      List<CheckResult> checks = List.of(ports.join().check(), processes.join().check(), firewall.join().check(),
          firewalld.join().check(), csf.join().check(), modsec.join().check(), resources.join().check(), logs.join().check());
      Blockers blockers = new Blockers(firewall.join().value(), firewalld.join().value(), csf.join().value(), modsec.join().value());
      List<Finding> findings = diagnose(ports.join().value(), processes.join().value(), blockers, resources.join().value(),
          logs.join().value());
      return new Report(hostname(), "local", started, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), findings, checks,
          List.of(), true);
    } finally {
      pool.shutdownNow();
    }
  }

  /** What the host's firewalls and web application firewall hold against the edge. */
  record Blockers(FirewallRulesCheck.Result firewall, FirewalldCheck.Result firewalld, CsfCheck.Result csf,
      ModSecurityCheck.Result modsec) {
    /** Rule lines, bans and zone sources that drop or reject an edge address, every tool together. */
    List<String> edgeBlocked() {
      List<String> out = new ArrayList<>(firewall.edgeBlocked());
      out.addAll(firewalld.edgeBlocked());
      out.addAll(csf.edgeBlocked());
      return out;
    }
  }

  /**
   * Most specific first: a rule, ban or zone against the edge, then nothing listening, then a
   * loopback-only bind, then the web application firewall denying the edge, then load.
   */
  static List<Finding> diagnose(LocalPortsCheck.Result ports, WebServerProcessesCheck.Result processes,
      Blockers blockers, ResourcesCheck.Result resources, ErrorLogsCheck.Result logs) {
    List<Finding> out = new ArrayList<>();
    FirewallRulesCheck.Result firewall = blockers.firewall();
    if (!blockers.edgeBlocked().isEmpty()) {
      out.add(new Finding(Cause.FIREWALL_BLOCKS_EDGE, Confidence.HIGH, blockers.edgeBlocked().get(0)));
    }
    if (ports.byPort() != null) {
      for (int i = 0; i < ports.ports().size(); i++) {
        List<ListeningSockets.Listener> on = ports.byPort().get(i);
        int port = ports.ports().get(i);
        if (on.isEmpty()) {
          String procs = processes.running().isEmpty() ? "no web server process runs"
              : String.join(", ", processes.running().keySet()) + " runs but does not listen there";
          String units = processes.failedUnits().isEmpty() ? "" : "; failed units: " + processes.failedUnits();
          out.add(new Finding(Cause.WEB_SERVER_DOWN, Confidence.HIGH, "nothing listens on port " + port + "; " + procs + units));
        } else if (on.stream().allMatch(l -> l.address().isLoopbackAddress())) {
          out.add(new Finding(Cause.LISTENS_ON_LOOPBACK_ONLY, Confidence.HIGH, "port " + port + " listens only on "
              + on.stream().map(ListeningSockets.Listener::where).toList()));
        } else if (on.stream().anyMatch(l -> l.queued() > 0)) {
          out.add(new Finding(Cause.ORIGIN_OVERLOADED, Confidence.MEDIUM, "connections wait unaccepted on port " + port));
        }
      }
    }
    ModSecurityCheck.Result modsec = blockers.modsec();
    if (!modsec.denials().isEmpty()) {
      out.add(new Finding(Cause.ORIGIN_WAF_BLOCKS_EDGE, Confidence.HIGH, "ModSecurity denied " + modsec.denials().size()
          + " request(s) from the edge's addresses " + modsec.denials().stream().map(ModSecurityCheck.Denial::client).distinct().toList()
          + "; rules " + modsec.rules()));
    }
    if (resources.exhausted()) out.add(new Finding(Cause.ORIGIN_OVERLOADED, Confidence.MEDIUM, resources.check().summary()));
    if (!logs.limitLines().isEmpty()) {
      out.add(new Finding(Cause.ORIGIN_OVERLOADED, Confidence.MEDIUM, logs.limitLines().get(logs.limitLines().size() - 1)));
    }
    if (!firewall.portBlocked().isEmpty()) {
      out.add(new Finding(Cause.FIREWALL_BLOCKS_EDGE, Confidence.MEDIUM, firewall.portBlocked().get(0)));
    }
    if (out.isEmpty()) {
      out.add(new Finding(Cause.HEALTHY, Confidence.MEDIUM, "ports " + ports.ports() + " listen publicly and no rule, limit or "
          + "error explains a failure (checks that were skipped could not be judged)"));
    }
    List<Finding> unique = new ArrayList<>();
    for (Finding f : out) if (unique.stream().noneMatch(u -> u.cause() == f.cause())) unique.add(f);
    return unique;
  }

  private record Timed<T>(T value, CheckResult check) {}

  /** Runs a check on the doctor's pool and stamps its result with the time it took. */
  private static <T> CompletableFuture<Timed<T>> timed(Executor pool, Supplier<T> work, Function<T, CheckResult> result) {
    return CompletableFuture.supplyAsync(() -> {
      long t = System.nanoTime();
      T v = work.get();
      return new Timed<>(v, result.apply(v).took(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t)));
    }, pool);
  }

  private static String hostname() {
    try {
      return ProcFile.read(Path.of("/proc/sys/kernel/hostname")).trim();
    } catch (IOException e) {
      return System.getenv().getOrDefault("HOSTNAME", "this host");
    }
  }
}
