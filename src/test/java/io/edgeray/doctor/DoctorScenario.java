package io.edgeray.doctor;

import io.edgeray.EdgeNode;
import io.edgeray.config.load.ConfigLoader;
import io.edgeray.config.EdgeConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * One doctor scenario on 127.0.0.1: a config with the given zones, optionally a real edge started
 * from it (the doctor then probes its listener), and the doctor run in-process with a short probe
 * timeout so a black-holed origin costs about a second.
 */
final class DoctorScenario implements AutoCloseable {
  static final Duration PROBE_TIMEOUT = Duration.ofMillis(2000);

  private final Path dir;
  private final String zones;
  private String extra = "";
  private boolean https;
  private int edgeHttpPort;
  private EdgeNode edge;

  private DoctorScenario(Path dir, String zones) {
    this.dir = dir;
    this.zones = zones;
  }

  /** @param zones the YAML of the zones list, each line indented by two spaces */
  static DoctorScenario of(Path dir, String zones) {
    return new DoctorScenario(dir, zones);
  }

  /** Top-level YAML added to the config, e.g. {@code edge: { egress: [127.0.0.2] }}. */
  DoctorScenario with(String yaml) {
    this.extra = yaml.endsWith("\n") ? yaml : yaml + "\n";
    return this;
  }

  /** Gives the edge an HTTPS listener too (the zones then need a certificate). */
  DoctorScenario withHttps() {
    this.https = true;
    return this;
  }

  /** Makes the edge listen for HTTP on this port rather than one the system picks (for a zone that points back at it). */
  DoctorScenario onPort(int port) {
    this.edgeHttpPort = port;
    return this;
  }

  /** Starts a real edge from the same zones, on ports the system picks unless {@link #onPort} named one. */
  DoctorScenario withEdge() throws Exception {
    Path file = write("edge.yaml", edgeHttpPort, 0);
    edge = EdgeNode.start(ConfigLoader.load(file), file);
    return this;
  }

  /** The config the doctor reads: the running edge's real port, or a closed one when no edge runs. */
  Path doctorConfig() throws Exception {
    int port = edge != null ? edge.httpAddress().getPort() : io.edgeray.testing.Ports.closedPort();
    int httpsPort = edge != null && https ? edge.httpsAddress().getPort() : io.edgeray.testing.Ports.closedPort();
    return write("doctor.yaml", port, httpsPort);
  }

  Report examine(String hostOrUrl) throws Exception {
    return examine(hostOrUrl, PROBE_TIMEOUT);
  }

  /** A config for the doctor that says the edge listens on {@code port}, whatever the running edge does. */
  Path doctorConfigListeningOn(int port) throws Exception {
    return write("doctor-elsewhere.yaml", port, io.edgeray.testing.Ports.closedPort());
  }

  /** Runs the doctor with the given config file. */
  Report examineWith(Path config, String hostOrUrl) throws Exception {
    return new Doctor(new Doctor.Settings(PROBE_TIMEOUT, Path.of("/proc/net"), Clock.systemUTC()))
        .examine(ConfigLoader.load(config), DoctorTarget.parse(hostOrUrl));
  }

  /** Runs the doctor with the given probe timeout ({@code --timeout}). */
  Report examine(String hostOrUrl, Duration timeout) throws Exception {
    EdgeConfig config = ConfigLoader.load(doctorConfig());
    return new Doctor(new Doctor.Settings(timeout, Path.of("/proc/net"), Clock.systemUTC()))
        .examine(config, DoctorTarget.parse(hostOrUrl));
  }

  /** The running edge's HTTP port; the scenario must have been started {@link #withEdge()}. */
  int edgePort() {
    return edge.httpAddress().getPort();
  }

  Path accessLog() {
    return dir.resolve("access.jsonl");
  }

  private Path write(String name, int port, int httpsPort) throws Exception {
    String yaml = "node: DOC\nlisten: { http: 127.0.0.1:" + port + (https ? ", https: 127.0.0.1:" + httpsPort : "")
        + " }\naccess_log: " + accessLog() + "\n"
        + extra + "zones:\n" + zones;
    return Files.writeString(dir.resolve(name), yaml, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    if (edge != null) edge.close();
  }
}
