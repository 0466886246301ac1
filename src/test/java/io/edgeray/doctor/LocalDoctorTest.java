package io.edgeray.doctor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeray.testing.ExternalCommand;
import io.edgeray.testing.NetNamespace;
import io.edgeray.testing.Ports;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code edgeray doctor --local}, run where the origin runs: real sockets, real /proc, real nft in a test namespace. */
class LocalDoctorTest {
  @TempDir Path dir;

  private Report examine(int port) {
    return new LocalDoctor(new LocalDoctor.Settings(List.of(port), List.of(), Path.of("/proc"),
        List.of(dir.resolve("no-such-error.log")), Duration.ofSeconds(3), Clock.systemUTC(), dir)).examine();
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void aWebPortWithNothingListeningIsAStoppedWebServer() {
    int port = Ports.closedPort();
    Report r = examine(port);

    assertThat(r.verdict().cause()).isEqualTo(Cause.WEB_SERVER_DOWN);
    assertThat(r.verdict().confidence()).isEqualTo(Confidence.HIGH);
    assertThat(r.verdict().evidence()).startsWith("nothing listens on port " + port + "; ");
    assertThat(r.checks().get(0).summary()).isEqualTo("nothing listens on port " + port);
    assertThat(r.onOriginHost()).isTrue();
    assertThat(r.nextSteps()).noneMatch(s -> s.contains("--local"));
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void aWebServerBoundTo127001OnlyIsNamedAsSuch() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 16, Ports.LOOPBACK)) {
      Report r = examine(server.getLocalPort());

      assertThat(r.verdict().cause()).isEqualTo(Cause.LISTENS_ON_LOOPBACK_ONLY);
      assertThat(r.verdict().evidence()).isEqualTo("port " + server.getLocalPort() + " listens only on [127.0.0.1:"
          + server.getLocalPort() + "]");
    }
  }

  @Test
  void aMissingErrorLogIsSkippedNeverPassed() {
    Report r = examine(Ports.closedPort());
    CheckResult logs = r.checks().stream().filter(c -> c.id().equals("error_logs")).findFirst().orElseThrow();
    assertThat(logs.outcome()).isEqualTo(Outcome.SKIPPED);
    assertThat(logs.summary()).startsWith("none of the usual error logs exists or can be read: ");
  }

  @Test
  void errorLogLinesAboutLimitsAreQuoted() throws Exception {
    Path log = Files.writeString(dir.resolve("error.log"), "2026/11/23 12:00:00 [notice] 1#1: start worker processes\n"
        + "2026/11/23 12:00:01 [alert] 7#7: 1024 worker_connections are not enough\n"
        + "2026/11/23 12:00:02 [crit] 7#7: accept4() failed (24: Too many open files)\n");
    ErrorLogsCheck.Result r = ErrorLogsCheck.run(List.of(log, dir.resolve("absent.log")));
    assertThat(r.check().outcome()).isEqualTo(Outcome.WARNING);
    assertThat(r.limitLines()).containsExactly(
        "error.log: 2026/11/23 12:00:01 [alert] 7#7: 1024 worker_connections are not enough",
        "error.log: 2026/11/23 12:00:02 [crit] 7#7: accept4() failed (24: Too many open files)");
  }

  @Test
  void listenerAddressesAreReadInTheKernelsByteOrder() {
    assertThat(ListeningSockets.address("0100007F").getHostAddress()).isEqualTo("127.0.0.1");
    assertThat(ListeningSockets.address("00000000000000000000000001000000").getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void anNftRuleDroppingTheEdgesRangeIsFoundOnTheOriginHost() throws Exception {
    assumeTrue(NetNamespace.available(), "needs root and ip netns (CI runs as root)");
    String nft = ExternalCommand.find("nft").map(Path::toString).orElse(null);
    assumeTrue(nft != null, "nft is not installed (Debian: apt-get install nftables)");
    try (NetNamespace ns = NetNamespace.create()) {
      ns.run(Duration.ofSeconds(5), nft, "add", "table", "inet", "origin_fw");
      ns.run(Duration.ofSeconds(5), nft, "add", "chain", "inet", "origin_fw", "input", "{ type filter hook input priority 0; }");
      NetNamespace.Result added = ns.run(Duration.ofSeconds(5), nft, "add", "rule", "inet", "origin_fw", "input",
          "ip", "saddr", "127.0.0.2", "tcp", "dport", "8080", "drop");
      assertThat(added.exitCode()).as(added.stderr()).isZero();

      NetNamespace.JavaProcess p = ns.javaProcess("io.edgeray.cli.Main", List.of("doctor", "--local", "--ports", "8080",
          "--edge-ranges", "127.0.0.0/30", "--format", "json", "--config", dir.resolve("absent.yaml").toString()));
      assertThat(p.process().waitFor(8, TimeUnit.SECONDS)).as(p.stderrText()).isTrue();

      assertThat(p.process().exitValue()).as(p.stderrText()).isEqualTo(1);
      JsonNode j = new ObjectMapper().readTree(p.stdoutText());
      assertThat(j.get("mode").asText()).isEqualTo("local");
      assertThat(j.at("/verdict/cause").asText()).isEqualTo("firewall_blocks_edge");
      assertThat(j.at("/verdict/evidence").asText()).isEqualTo("nft: ip saddr 127.0.0.2 tcp dport 8080 drop");
      assertThat(j.at("/findings/1/cause").asText()).isEqualTo("web_server_down");
    }
  }

  @Test
  void netCoreSomaxconnIsReadWholeNotAsItsFirstDigit() throws Exception {
    Path somaxconn = Path.of("/proc/sys/net/core/somaxconn");
    assumeTrue(Files.isReadable(somaxconn), "needs Linux /proc");
    String value = Files.readAllLines(somaxconn).get(0).trim();
    assumeTrue(value.length() > 1, "a one-digit somaxconn cannot show the defect");

    ResourcesCheck.Result r = ResourcesCheck.run(Path.of("/proc"), List.of(Ports.closedPort()), java.util.Optional.empty());

    assertThat(r.check().evidence()).contains("net.core.somaxconn is " + value + " (the cap on every listen backlog)");
    assertThat(ProcFile.read(somaxconn).trim()).isEqualTo(value);
  }

  @Test
  void ssListenLinesGiveEachListenersOwnBacklog() throws Exception {
    List<ListenBacklogs.Entry> e = ListenBacklogs.parse("""
        State  Recv-Q Send-Q Local Address:Port  Peer Address:PortProcess
        LISTEN 0      511          0.0.0.0:80         0.0.0.0:*
        LISTEN 2      1          127.0.0.1:8080       0.0.0.0:*
        LISTEN 0      4096   127.0.0.53%lo:53         0.0.0.0:*
        LISTEN 0      511             [::]:443           [::]:*
        LISTEN 0      128                *:8443             *:*
        """);
    assertThat(e).containsExactly(
        new ListenBacklogs.Entry(java.net.InetAddress.getByName("0.0.0.0"), 80, 0, 511),
        new ListenBacklogs.Entry(java.net.InetAddress.getByName("127.0.0.1"), 8080, 2, 1),
        new ListenBacklogs.Entry(java.net.InetAddress.getByName("127.0.0.53"), 53, 0, 4096),
        new ListenBacklogs.Entry(java.net.InetAddress.getByName("::"), 443, 0, 511),
        new ListenBacklogs.Entry(null, 8443, 0, 128));
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void aListenerWhoseAcceptQueueReachedItsOwnBacklogIsFullAndTheOriginOverloaded() throws Exception {
    assumeTrue(ExternalCommand.find("ss").isPresent(), "ss is not installed (Debian: iproute2)");
    try (io.edgeray.testing.FullBacklogListener full = io.edgeray.testing.FullBacklogListener.open()) {
      Report r = examine(full.port());

      CheckResult resources = r.checks().stream().filter(c -> c.id().equals("resources")).findFirst().orElseThrow();
      assertThat(resources.evidence()).contains("127.0.0.1:" + full.port() + ": " + full.queuedConnections()
          + " connection(s) waiting to be accepted of a backlog of 1 (ss -ltn): the accept queue is full");
      assertThat(resources.outcome()).isEqualTo(Outcome.PROBLEM);
      assertThat(resources.summary()).contains("the accept queue of 127.0.0.1:" + full.port() + " is full ("
          + full.queuedConnections() + " waiting, backlog 1)");
      assertThat(r.findings()).extracting(Finding::cause).contains(Cause.ORIGIN_OVERLOADED);
    }
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void theLocalRunEndsWithinTheToolTimeoutPlusTwoSeconds() {
    long t0 = System.nanoTime();
    examine(Ports.closedPort());
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(3000 + 2000);
  }
}
