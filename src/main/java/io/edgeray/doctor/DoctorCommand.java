package io.edgeray.doctor;

import io.edgeray.config.ConfigException;
import io.edgeray.config.ConfigLoader;
import io.edgeray.config.EdgeConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code edgeray doctor HOST_OR_URL}: the origin-failure checklist, run by the machine. Exit 0 healthy, 1 problem, 2 could not run. */
@Command(name = "doctor", sortOptions = false,
    description = {"Find out why a host's origin fails: records, a request through the edge, direct probes of the origin,",
        "the edge's egress address against another source, TLS, and the access log; then a verdict and a support message.",
        "Exit code: 0 healthy, 1 problem found, 2 the doctor could not run."})
public final class DoctorCommand implements Callable<Integer> {
  public static final int COULD_NOT_RUN = 2;

  /** The report formats. */
  public enum Format { text, markdown, json }

  @Parameters(paramLabel = "HOST_OR_URL", description = "shop.example or https://shop.example/path")
  String target;

  @Option(names = "--config", paramLabel = "FILE", description = "the edge's config (default: ${DEFAULT-VALUE})")
  Path config = Path.of("config/edgeray.yaml");

  @Option(names = "--format", paramLabel = "FORMAT", description = "text, markdown or json (default: ${DEFAULT-VALUE})")
  Format format = Format.text;

  @Option(names = "--timeout", paramLabel = "DURATION", description = "probe timeout in ms (default: ${DEFAULT-VALUE})")
  long timeoutMillis = 3000;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    DoctorTarget t;
    EdgeConfig c;
    try {
      t = DoctorTarget.parse(target);
      c = ConfigLoader.load(config);
    } catch (IllegalArgumentException | ConfigException e) {
      err.println("edgeray doctor: " + e.getMessage());
      err.flush();
      return COULD_NOT_RUN;
    }
    Report report;
    try {
      report = new Doctor(new Doctor.Settings(Duration.ofMillis(timeoutMillis), Path.of("/proc/net"), Clock.systemUTC()))
          .examine(c, t);
    } catch (RuntimeException e) {
      err.println("edgeray doctor: could not finish: " + e);
      err.flush();
      return COULD_NOT_RUN;
    }
    out.print(switch (format) {
      case text -> TextReport.render(report);
      case markdown -> MarkdownReport.render(report);
      case json -> JsonReport.render(report);
    });
    out.flush();
    return report.exitCode();
  }
}
