package io.edgeray.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeray.EdgeNode;
import io.edgeray.config.load.ConfigLoader;
import io.edgeray.hardening.EdgeTimers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The one way a test boots an edge: a real {@link EdgeNode} in this JVM, on ports of 127.0.0.1 the
 * system picks, from YAML the test gives (Armeria's {@code ServerExtension} is the model).
 *
 * <pre>{@code
 * @RegisterExtension final EdgeExtension edge = EdgeExtension.create();        // started by the test
 * @RegisterExtension static final EdgeExtension edge = EdgeExtension.create()  // started before each test
 *     .https().zones(() -> zone(origin.port()));
 * @RegisterExtension static final EdgeExtension edge = EdgeExtension.create().perClass().zones(...);
 *
 * edge.start(zones);                   // when no zones were configured up front
 * RawClient.Response r = edge.get("shop.example", "/");
 * JsonNode line = edge.log().line(r.header("edge-ray"));
 * }</pre>
 *
 * The config it writes is {@code node}, {@code listen} (HTTP, and HTTPS when asked), the access
 * log in the extension's own temporary directory, the extra top-level YAML, then {@code zones:}
 * followed by the zones YAML (a list, each line indented by two spaces). The edge is stopped after
 * each test (after the class with {@link #perClass()}) and its directory deleted.
 */
public final class EdgeExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
  private String nodeName = "T1";
  private boolean https;
  private int httpPort;
  private boolean perClass;
  private ManualTime time;
  private java.time.Clock clock = java.time.Clock.systemUTC();
  private String startedExtra = "";
  private Supplier<String> extra = () -> "";
  private Supplier<String> zones;
  private Path dir;
  private Path configFile;
  private AccessLog log;
  private EdgeNode node;

  private EdgeExtension() {}

  public static EdgeExtension create() {
    return new EdgeExtension();
  }

  /** The node's name: it ends every ray id and names the edge in Via, CDN-Loop and Proxy-Status. "T1" by default. */
  public EdgeExtension node(String name) {
    this.nodeName = name;
    return this;
  }

  /**
   * The HTTP listener on this fixed port of 127.0.0.1 rather than one the system picks: for a zone
   * whose origin port is the edge's own listener (a loop). 0, the default, lets the system pick.
   */
  public EdgeExtension httpPort(int port) {
    this.httpPort = port;
    return this;
  }

  /** An HTTPS listener too (the zones then need certificates). */
  public EdgeExtension https() {
    this.https = true;
    return this;
  }

  /** The edge's own timers (the request-head deadline) run on a {@link ManualTime} the test advances. */
  public EdgeExtension manualTime() {
    this.time = new ManualTime();
    return this;
  }

  /** The manual clock of {@link #manualTime()}. */
  public ManualTime time() {
    if (time == null) throw new IllegalStateException("this edge runs on real time: use manualTime()");
    return time;
  }

  /** The clock the edge's analytics count minutes by: a {@link TestClock} the test moves instead of waiting for minutes. */
  public EdgeExtension clock(java.time.Clock clock) {
    this.clock = clock;
    return this;
  }

  /** Starts once before the class's first test and stops after its last (the field must be static). */
  public EdgeExtension perClass() {
    this.perClass = true;
    return this;
  }

  /** Top-level YAML besides node, listen, access_log and zones, e.g. {@code limits: { request_head: 4KiB }}. */
  public EdgeExtension extra(String yaml) {
    return extra(() -> yaml);
  }

  public EdgeExtension extra(Supplier<String> yaml) {
    this.extra = yaml;
    return this;
  }

  /** The zones, so the edge starts by itself before each test (or the class). */
  public EdgeExtension zones(String yaml) {
    return zones(() -> yaml);
  }

  /** Zones worked out when the edge starts, e.g. from the port of an origin another extension started. */
  public EdgeExtension zones(Supplier<String> yaml) {
    this.zones = yaml;
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    if (perClass && zones != null) start();
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    if (!perClass && zones != null) start();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (!perClass) stop();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stop();
  }

  /** Starts the edge from the configured zones. */
  public EdgeExtension start() throws Exception {
    if (zones == null) throw new IllegalStateException("no zones configured: use start(zones)");
    return start(extra.get(), zones.get());
  }

  /** Starts the edge from these zones (and the configured extra YAML). */
  public EdgeExtension start(String zonesYaml) throws Exception {
    return start(extra.get(), zonesYaml);
  }

  /** Starts the edge from this extra top-level YAML and these zones. */
  public EdgeExtension start(String extraYaml, String zonesYaml) throws Exception {
    if (node != null) throw new IllegalStateException("the edge is already running");
    dir = Files.createTempDirectory("edgeray-edge-" + nodeName);
    log = new AccessLog(dir.resolve("access.jsonl"));
    configFile = dir.resolve("edge.yaml");
    startedExtra = extraYaml;
    write(extraYaml, zonesYaml);
    boot();
    return this;
  }

  private void boot() throws Exception {
    node = EdgeNode.start(ConfigLoader.load(configFile), configFile, time == null ? EdgeTimers.SYSTEM : time, clock);
  }

  /**
   * The YAML this extension starts an edge from, with its listeners on the given ports and its
   * access log where given: for a second reader of the same config (the doctor, say).
   */
  public String yaml(Path accessLog, String extraYaml, String zonesYaml, int httpPort, int httpsPort) {
    String ext = extraYaml.isEmpty() || extraYaml.endsWith("\n") ? extraYaml : extraYaml + "\n";
    return "node: " + nodeName + "\n"
        + "listen: { http: 127.0.0.1:" + httpPort + (https ? ", https: 127.0.0.1:" + httpsPort : "") + " }\n"
        + "access_log: " + accessLog + "\n"
        + ext + "zones:\n" + zonesYaml;
  }

  private void write(String extraYaml, String zonesYaml) throws IOException {
    Files.writeString(configFile, yaml(log.file(), extraYaml, zonesYaml, httpPort, 0), StandardCharsets.UTF_8);
  }

  /** Whether the edge is running now. */
  public boolean running() {
    return node != null;
  }

  /** Rewrites the config file (the listeners stay where they are) without reloading. */
  public void rewrite(String extraYaml, String zonesYaml) throws IOException {
    write(extraYaml, zonesYaml);
  }

  /** Reloads the config file; null when it took, else the error the node reports. */
  public String reload() {
    return runningNode().reload();
  }

  /** Rewrites the config with these zones (and the extra YAML it started with) and reloads it; null when it took. */
  public String reload(String zonesYaml) throws IOException {
    write(startedExtra, zonesYaml);
    return reload();
  }

  /**
   * A restart: stops the edge and starts a new one from the config file as it is now (changes made
   * through the admin API included), in the same directory, on ports the system picks again, so
   * what the edge keeps on disk (the access log, analytics) is read back.
   */
  public EdgeExtension restart() throws Exception {
    runningNode().close();
    node = null;
    boot();
    return this;
  }

  /** Stops the edge now (the extension does it after the test anyway). */
  public void stop() {
    if (node != null) {
      node.close();
      node = null;
    }
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // a temporary directory left behind
      }
      dir = null;
    }
  }

  public EdgeNode node() {
    return runningNode();
  }

  public InetSocketAddress httpAddress() {
    return runningNode().httpAddress();
  }

  public InetSocketAddress httpsAddress() {
    return runningNode().httpsAddress();
  }

  public int httpPort() {
    return httpAddress().getPort();
  }

  public int httpsPort() {
    return httpsAddress().getPort();
  }

  /** The access log; each ray's line, or the first n lines, read with a bounded wait. */
  public AccessLog log() {
    runningNode();
    return log;
  }

  /** Shorthand for {@code log().line(ray)}. */
  public JsonNode logLine(String ray) {
    return log().line(ray);
  }

  public Path configFile() {
    runningNode();
    return configFile;
  }

  /** The edge's own temporary directory, deleted when it stops. */
  public Path dir() {
    runningNode();
    return dir;
  }

  /**
   * The admin API (the config needs {@code admin: 127.0.0.1:0} in its extra YAML), called with
   * the edit token the edge made in {@code state/admin-token} when the config has no tokens; with
   * {@code admin.tokens} configured, pick one with {@link AdminClient#as(String)}.
   */
  public AdminClient admin() throws IOException {
    InetSocketAddress address = runningNode().adminAddress();
    if (address == null) throw new IllegalStateException("this edge has no admin listener: add admin: 127.0.0.1:0 to its extra YAML");
    Path tokenFile = dir.resolve("state").resolve("admin-token");
    String token = Files.exists(tokenFile) ? Files.readString(tokenFile, StandardCharsets.US_ASCII).trim() : null;
    return new AdminClient(address, token, java.util.Map.of());
  }

  /** GET over plain HTTP on a new connection with Connection: close; each extra header a whole line. */
  public RawClient.Response get(String host, String path, String... headerLines) throws IOException {
    return RawClient.get(httpAddress(), host, path, headerLines);
  }

  /** GET over HTTPS with {@code host} as SNI, trusting what {@code tls} trusts. */
  public RawClient.Response getTls(SSLContext tls, String host, String path, String... headerLines) throws IOException {
    return RawClient.getTls(httpsAddress(), tls, host, path, headerLines);
  }

  /** Raw request bytes on a new plain connection; reads one response. */
  public RawClient.Response raw(String request) throws IOException {
    return RawClient.exchange(httpAddress(), request);
  }

  /** A new plain connection to the edge, for keep-alive and byte-by-byte tests. */
  public RawClient connect() throws IOException {
    return RawClient.connect(httpAddress());
  }

  /** One zone's YAML with A records for its apex and a wildcard at 127.0.0.1, and these settings (one per line). */
  public static String zone(String name, String settings) {
    return "  - name: " + name + "\n"
        + settings.lines().map(l -> "    " + l + "\n").reduce("", String::concat)
        + "    records:\n"
        + "      - { type: A, name: \"@\", content: 127.0.0.1, proxied: true }\n"
        + "      - { type: A, name: \"*\", content: 127.0.0.1, proxied: true }\n";
  }

  private EdgeNode runningNode() {
    if (node == null) throw new IllegalStateException("the edge is not running: configure zones or call start(zones)");
    return node;
  }
}
