package io.edgeray.doctor;

import io.edgeray.config.EdgeConfig;
import io.edgeray.config.load.ConfigLoader;
import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.Ports;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * One doctor scenario on 127.0.0.1: a config with the given zones, optionally a real edge started
 * from it by the test's {@link EdgeExtension} (the doctor then probes its listener), and the
 * doctor run in-process with a short probe timeout so a black-holed origin costs about a second.
 */
final class DoctorScenario implements AutoCloseable {
  static final Duration PROBE_TIMEOUT = Duration.ofMillis(2000);

  private final EdgeExtension edge;
  private final Path dir;
  private final String zones;
  private String extra = "";

  private DoctorScenario(EdgeExtension edge, Path dir, String zones) {
    this.edge = edge;
    this.dir = dir;
    this.zones = zones;
  }

  /**
   * @param edge the test's edge extension (node DOC), started only by {@link #withEdge()}
   * @param zones the YAML of the zones list, each line indented by two spaces
   */
  static DoctorScenario of(EdgeExtension edge, Path dir, String zones) {
    return new DoctorScenario(edge, dir, zones);
  }

  /** Top-level YAML added to the config, e.g. {@code edge: { egress: [127.0.0.2] }}. */
  DoctorScenario with(String yaml) {
    this.extra = yaml.endsWith("\n") ? yaml : yaml + "\n";
    return this;
  }

  /** Gives the edge an HTTPS listener too (the zones then need a certificate). */
  DoctorScenario withHttps() {
    edge.https();
    return this;
  }

  /** Makes the edge listen for HTTP on this port rather than one the system picks (for a zone that points back at it). */
  DoctorScenario onPort(int port) {
    edge.httpPort(port);
    return this;
  }

  /** Starts a real edge from the same zones, on ports the system picks unless {@link #onPort} named one. */
  DoctorScenario withEdge() throws Exception {
    edge.start(extra, zones);
    return this;
  }

  /** The config the doctor reads: the running edge's real ports, or closed ones when no edge runs. */
  Path doctorConfig() throws Exception {
    boolean running = edge.running();
    int port = running ? edge.httpPort() : Ports.closedPort();
    int httpsPort = running && edge.node().httpsAddress() != null ? edge.httpsPort() : Ports.closedPort();
    return Files.writeString(dir.resolve("doctor.yaml"), edge.yaml(accessLog(), extra, zones, port, httpsPort),
        StandardCharsets.UTF_8);
  }

  Report examine(String hostOrUrl) throws Exception {
    return examine(hostOrUrl, PROBE_TIMEOUT);
  }

  /** A config for the doctor that says the edge listens on {@code port}, whatever the running edge does. */
  Path doctorConfigListeningOn(int port) throws Exception {
    return Files.writeString(dir.resolve("doctor-elsewhere.yaml"),
        edge.yaml(accessLog(), extra, zones, port, Ports.closedPort()), StandardCharsets.UTF_8);
  }

  /** Runs the doctor with the given config file. */
  Report examineWith(Path config, String hostOrUrl) throws Exception {
    return new Doctor(new Doctor.Settings(PROBE_TIMEOUT, Path.of("/proc/net"), Clock.systemUTC()))
        .examine(ConfigLoader.loadForDiagnosis(config), DoctorTarget.parse(hostOrUrl));
  }

  /** Runs the doctor with the given probe timeout ({@code --timeout}). */
  Report examine(String hostOrUrl, Duration timeout) throws Exception {
    EdgeConfig config = ConfigLoader.loadForDiagnosis(doctorConfig());
    return new Doctor(new Doctor.Settings(timeout, Path.of("/proc/net"), Clock.systemUTC()))
        .examine(config, DoctorTarget.parse(hostOrUrl));
  }

  /** The running edge's HTTP port; the scenario must have been started {@link #withEdge()}. */
  int edgePort() {
    return edge.httpAddress().getPort();
  }

  /** The running edge's access log, or where the doctor would look for one. */
  Path accessLog() {
    return edge.running() ? edge.log().file() : dir.resolve("access.jsonl");
  }

  @Override
  public void close() {
    edge.stop();
  }
}
