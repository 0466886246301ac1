package io.edgeray.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeray.EdgeNode;
import io.edgeray.config.load.ConfigLoader;
import io.edgeray.testing.Await;
import io.edgeray.testing.Fault;
import io.edgeray.testing.FaultyOrigin;
import io.edgeray.testing.Ports;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 17, "Logs and operations": logrotate works through a reload, and shutdown says what it does. */
class OperationsTest {
  @TempDir Path dir;

  private static String config(int originPort, String extra) {
    return "node: AMS\nlisten: { http: 127.0.0.1:0 }\nadmin: 127.0.0.1:0\naccess_log: logs/access.jsonl\n" + extra
        + "zones:\n  - name: shop.example\n    origin_ports: { http: " + originPort + " }\n"
        + "    records: [ { type: A, name: \"@\", content: 127.0.0.1, proxied: true } ]\n";
  }

  private static String ray(InetSocketAddress edge) throws Exception {
    try (Socket s = new Socket()) {
      s.connect(edge, 2000);
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write("GET / HTTP/1.1\r\nHost: shop.example\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return response.lines().filter(l -> l.toLowerCase().startsWith("edge-ray:")).findFirst().orElseThrow().substring(9).trim();
    }
  }

  @Test
  void aReloadAfterLogrotateRenamedTheAccessLogWritesANewFileOfTheOldName() throws Exception {
    Path file = dir.resolve("edge.yaml");
    try (FaultyOrigin origin = FaultyOrigin.start(Fault.OK)) {
      Files.writeString(file, config(origin.port(), ""));
      try (EdgeNode node = EdgeNode.start(ConfigLoader.load(file), file)) {
        Path log = dir.resolve("logs/access.jsonl");
        Path rotated = dir.resolve("logs/access.jsonl.1");
        String first = ray(node.httpAddress());
        Await.until(Duration.ofSeconds(5), () -> read(log).contains(first), "the first ray in the log");
        Files.move(log, rotated); // what logrotate does before it signals the edge

        HttpURLConnection reload = (HttpURLConnection) URI.create("http://127.0.0.1:" + node.adminAddress().getPort() + "/reload")
            .toURL().openConnection();
        reload.setRequestMethod("POST");
        // no admin.tokens: the edge made its own edit token beside the config
        reload.setRequestProperty("Authorization", "Bearer " + Files.readString(dir.resolve("state/admin-token")).trim());
        assertThat(reload.getResponseCode()).isEqualTo(200);
        Await.until(Duration.ofSeconds(5), () -> node.accessLog().reopened() == 1, "the access log to be reopened");
        String second = ray(node.httpAddress());

        Await.until(Duration.ofSeconds(5), () -> read(log).contains(second), "the second ray in the new file");
        assertThat(read(rotated)).contains(first).doesNotContain(second);
        assertThat(read(log)).doesNotContain(first);
      }
    }
  }

  private static String read(Path p) {
    try {
      return Files.exists(p) ? Files.readString(p) : "";
    } catch (java.io.IOException e) {
      return "";
    }
  }

  @Test
  void shutdownLogsTheDrainTheRaysInFlightAndThatTheyWereCut() throws Exception {
    try (FaultyOrigin origin = FaultyOrigin.start(Fault.NEVER_ANSWER)) {
      Path file = dir.resolve("edge.yaml");
      Files.writeString(file, config(origin.port(), ""));
      try (EdgeNode node = EdgeNode.start(ConfigLoader.load(file), file);
          Socket visitor = new Socket()) {
        visitor.connect(node.httpAddress(), 2000);
        visitor.getOutputStream().write("GET /slow HTTP/1.1\r\nHost: shop.example\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        Await.until(Duration.ofSeconds(5), () -> !origin.requests().isEmpty(), "the request to reach the origin");

        List<String> messages = shutdownMessages(node, Duration.ofMillis(300));

        assertThat(messages.get(0)).isEqualTo("drain started: no new connections, 1 rays in flight, waiting up to 300 ms for them");
        assertThat(messages).anySatisfy(m -> assertThat(m).matches("drain cut after \\d+ ms: closing 1 rays still in flight \\(logged as cut\\)"));
      }
    }
  }

  /** What the edge server logs while {@code node} shuts down. */
  private static List<String> shutdownMessages(EdgeNode node, Duration grace) {
    ch.qos.logback.classic.Logger logger =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(io.edgeray.edge.EdgeServer.class);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> seen = new ch.qos.logback.core.read.ListAppender<>();
    seen.start();
    logger.addAppender(seen);
    try {
      node.shutdown(grace);
    } finally {
      logger.detachAppender(seen);
    }
    return seen.list.stream().map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).toList();
  }

  @Test
  void anIdleEdgeLogsThatItsDrainIsDone() throws Exception {
    Path file = dir.resolve("edge.yaml");
    Files.writeString(file, config(Ports.closedPort(), ""));
    try (EdgeNode node = EdgeNode.start(ConfigLoader.load(file), file)) {
      List<String> messages = shutdownMessages(node, Duration.ofSeconds(5));
      assertThat(messages.get(0)).isEqualTo("drain started: no new connections, 0 rays in flight, waiting up to 5000 ms for them");
      assertThat(messages).anySatisfy(m -> assertThat(m).matches("drain done in \\d+ ms: every ray finished"));
    }
  }
}
