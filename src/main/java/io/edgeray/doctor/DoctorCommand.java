package io.edgeray.doctor;

import io.edgeray.config.ConfigException;
import io.edgeray.config.load.ConfigLoader;
import io.edgeray.config.EdgeConfig;
import io.edgeray.fleet.FleetDoctor;
import io.edgeray.config.Cidr;
import io.edgeray.observe.DoctorMark;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code edgeray doctor HOST_OR_URL}: the origin-failure checklist, run by the machine. Exit 0 healthy, 1 problem, 2 could not run. */
@Command(name = "doctor", sortOptions = false, mixinStandardHelpOptions = true,
    description = {"Find out why a host's origin fails: records, a request through the edge, direct probes of the origin,",
        "the edge's egress address against another source, TLS, and the access log; then a verdict and a support message.",
        "Exit code: 0 healthy, 1 problem found, 2 the doctor could not run."})
public final class DoctorCommand implements Callable<Integer> {
  public static final int COULD_NOT_RUN = 2;

  /** The report formats. */
  public enum Format { text, markdown, json }

  @Parameters(paramLabel = "HOST_OR_URL", arity = "0..1", description = "shop.example or https://shop.example/path")
  String target;

  @Option(names = "--local", description = "run on the origin host: listeners, web server processes, firewall rules, resources, error logs")
  boolean local;

  @Option(names = "--fleet", description = "ask every node of the fleet (the config's fleet section) to run it, and compare what each location sees")
  boolean fleet;

  @Option(names = "--ports", split = ",", paramLabel = "PORT", description = "with --local: the web ports (default: 80,443)")
  List<Integer> ports = List.of(80, 443);

  @Option(names = "--edge-ranges", split = ",", paramLabel = "CIDR",
      description = "with --local: the edge's egress ranges to look for in firewall rules (default: edge.egress of --config when it exists)")
  List<String> edgeRanges = List.of();

  @Option(names = "--config", paramLabel = "FILE", description = "the edge's config (default: ${DEFAULT-VALUE})")
  Path config = io.edgeray.config.ConfigPaths.defaultConfig(); // beside the install, not the working directory

  @Option(names = "--format", paramLabel = "FORMAT", description = "text, markdown or json (default: ${DEFAULT-VALUE})")
  Format format = Format.text;

  @Option(names = "--timeout", paramLabel = "DURATION", converter = TimeoutOption.class,
      description = "how long each probe (or, with --local, each tool) may take: 2s, 500ms; a plain number is ms (default: 3s)")
  Duration timeout = Duration.ofSeconds(3);

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (local) return local(out, err);
    if (target == null) {
      err.println("edgeray doctor: name the host or URL to examine, or use --local on the origin host");
      err.flush();
      return COULD_NOT_RUN;
    }
    DoctorTarget t;
    EdgeConfig c;
    try {
      t = DoctorTarget.parse(target);
      c = ConfigLoader.loadForDiagnosis(config);
    } catch (IllegalArgumentException | ConfigException e) {
      err.println("edgeray doctor: " + e.getMessage());
      err.flush();
      return COULD_NOT_RUN;
    }
    if (fleet) return fleet(c, out, err);
    Report report;
    try {
      // the edge's mark from its state dir, so this run's request through the edge is logged as the doctor's
      report = new Doctor(new Doctor.Settings(timeout, Path.of("/proc/net"), Clock.systemUTC(), DoctorMark.readBeside(config)))
          .examine(c, t);
    } catch (RuntimeException e) {
      err.println("edgeray doctor: could not finish: " + e);
      err.flush();
      return COULD_NOT_RUN;
    }
    return print(out, report);
  }

  /** Every node runs it over its admin API with the fleet credential, read from etcd as the node list is. */
  private Integer fleet(EdgeConfig c, PrintWriter out, PrintWriter err) {
    if (c.fleet() == null) {
      err.println("edgeray doctor: --fleet needs the fleet section of a node's config (--config " + config + " has none)");
      err.flush();
      return COULD_NOT_RUN;
    }
    FleetDoctor.Result result;
    try (FleetDoctor.Standalone fleetDoctor = FleetDoctor.standalone(c.fleet())) {
      result = fleetDoctor.doctor().run(target).get(FleetDoctor.BOUND.toSeconds() + 15, java.util.concurrent.TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      err.println("edgeray doctor: " + (e.getCause() == null ? e : e.getCause().getMessage()));
      err.flush();
      return COULD_NOT_RUN;
    } catch (java.util.concurrent.TimeoutException e) {
      err.println("edgeray doctor: the fleet's node list did not come from etcd in time");
      err.flush();
      return COULD_NOT_RUN;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return COULD_NOT_RUN;
    }
    out.print(format == Format.json ? result.json() : result.text());
    out.flush();
    return result.exitCode();
  }

  private Integer local(PrintWriter out, PrintWriter err) {
    List<Cidr> ranges = new ArrayList<>();
    try {
      for (String r : edgeRanges) ranges.add(Cidr.parse(r));
      if (ranges.isEmpty() && Files.exists(config)) ranges.addAll(ConfigLoader.loadForDiagnosis(config).edge().egress());
    } catch (IllegalArgumentException | ConfigException e) {
      err.println("edgeray doctor: " + e.getMessage());
      err.flush();
      return COULD_NOT_RUN;
    }
    Report report;
    try {
      report = new LocalDoctor(LocalDoctor.Settings.of(ports, ranges, timeout)).examine();
    } catch (RuntimeException e) {
      err.println("edgeray doctor: could not finish: " + e);
      err.flush();
      return COULD_NOT_RUN;
    }
    return print(out, report);
  }

  private int print(PrintWriter out, Report report) {
    out.print(switch (format) {
      case text -> TextReport.render(report);
      case markdown -> MarkdownReport.render(report);
      case json -> JsonReport.render(report);
    });
    out.flush();
    return report.exitCode();
  }
}
