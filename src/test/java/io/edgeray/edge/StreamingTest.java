package io.edgeray.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeray.testing.Await;
import io.edgeray.testing.Fault;
import io.edgeray.testing.FaultyOrigin;
import io.edgeray.testing.Ports;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bodies stream through with backpressure: 1 GiB each way through an edge whose heap is capped at 256 MiB. */
class StreamingTest {
  private static final long GIB = 1L << 30;

  @TempDir Path dir;

  @Test
  void oneGibibyteStreamsBothWaysThroughAnEdgeWithA256MiBHeap() throws Exception {
    try (FaultyOrigin origin = FaultyOrigin.start(Fault.OK)) {
      int port = Ports.closedPort();
      Path config = dir.resolve("edge.yaml");
      Files.writeString(config, "node: BIG\nwarm_up: false\nlisten: { http: 127.0.0.1:" + port + " }\naccess_log: " + dir.resolve("a.jsonl") + "\n"
          + "zones:\n  - name: shop.example\n    origin_ports: { http: " + origin.port() + " }\n"
          + "    records:\n      - { type: A, name: \"@\", content: 127.0.0.1, proxied: true }\n");
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process edge = new ProcessBuilder(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
          "io.edgeray.cli.Main", "serve", "--config", config.toString()))
          .redirectErrorStream(true).redirectOutput(dir.resolve("edge.out").toFile()).start();
      try {
        Await.until(Duration.ofSeconds(20), () -> canConnect(port), "edge listening on " + port);

        try (Socket s = new Socket("127.0.0.1", port)) {
          s.setSoTimeout(60_000);
          s.getOutputStream().write(("GET /bytes/" + GIB + " HTTP/1.1\r\nHost: shop.example\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
          InputStream in = s.getInputStream();
          byte[] buf = new byte[1 << 16];
          long total = 0;
          int n;
          while ((n = in.read(buf)) > 0) total += n;
          assertThat(total).as("head + 1 GiB body").isGreaterThan(GIB).isLessThan(GIB + 4096);
        }

        try (Socket s = new Socket("127.0.0.1", port)) {
          s.setSoTimeout(60_000);
          OutputStream out = s.getOutputStream();
          out.write(("POST /sink HTTP/1.1\r\nHost: shop.example\r\nConnection: close\r\nContent-Length: " + GIB + "\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
          byte[] chunk = new byte[1 << 16];
          for (long sent = 0; sent < GIB; sent += chunk.length) out.write(chunk);
          out.flush();
          String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
          assertThat(answer).startsWith("HTTP/1.1 200").contains("\"received\":" + GIB);
        }
        assertThat(edge.isAlive()).as("edge survived with -Xmx256m").isTrue();
      } finally {
        edge.destroy();
        edge.waitFor();
      }
    }
  }

  private static boolean canConnect(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
