package io.edgeray.tls;

import io.edgeray.config.CertificateFiles;
import com.fasterxml.jackson.databind.JsonNode;
import io.edgeray.EdgeNode;
import io.edgeray.config.load.ConfigLoader;
import io.edgeray.testing.AccessLogFile;
import io.edgeray.config.EdgeConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An edge started in-process on 127.0.0.1 (HTTP and HTTPS on ports the system picks) from a YAML
 * zone list, with its access log in a file the test reads back.
 */
final class TestEdge implements AutoCloseable {
  final EdgeNode node;
  final Path log;

  private TestEdge(EdgeNode node, Path log) {
    this.node = node;
    this.log = log;
  }

  /** @param zones the YAML of the {@code zones:} list, indented by two spaces */
  static TestEdge start(Path dir, String node, String zones) throws Exception {
    return start(dir, node, zones, "");
  }

  /** @param settings more top-level YAML ({@code limits: {...}}), each line ending in a newline */
  static TestEdge start(Path dir, String node, String zones, String settings) throws Exception {
    Path log = dir.resolve("access-" + node + ".jsonl");
    String yaml = "node: " + node + "\n"
        + "listen: { http: 127.0.0.1:0, https: 127.0.0.1:0 }\n"
        + "access_log: " + log + "\n"
        + settings
        + "zones:\n" + zones;
    Path file = dir.resolve("edge-" + node + ".yaml");
    Files.writeString(file, yaml, StandardCharsets.UTF_8);
    EdgeConfig config = ConfigLoader.load(file);
    return new TestEdge(EdgeNode.start(config, file), log);
  }

  int httpPort() {
    return node.httpAddress().getPort();
  }

  int httpsPort() {
    return node.httpsAddress().getPort();
  }

  /** The access-log line of a ray, waiting for the log writer for up to 5 s. */
  JsonNode logLine(String ray) throws Exception {
    return AccessLogFile.lineOf(log, ray);
  }

  /** One zone's YAML, with an A record for the zone's own name pointing at 127.0.0.1. */
  static String zone(String name, String settings) {
    return "  - name: " + name + "\n"
        + "    timeouts: { connect: 3s, read: 10s, write: 10s }\n"
        + settings.lines().map(l -> "    " + l + "\n").reduce("", String::concat)
        + "    records:\n"
        + "      - { type: A, name: \"@\", content: 127.0.0.1, proxied: true }\n"
        + "      - { type: A, name: \"*\", content: 127.0.0.1, proxied: true }\n";
  }

  static String certificate(CertificateFiles f) {
    return "certificate: { cert: " + f.cert() + ", key: " + f.key() + " }";
  }

  @Override
  public void close() {
    node.close();
  }
}
