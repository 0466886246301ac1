package io.edgeray.cli;

import io.edgeray.EdgeNode;
import io.edgeray.config.load.ConfigLoader;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a throw-away edge on loopback ports the requests of the two paths only an outage takes (a
 * refused origin's 521, and a stored copy served stale because the origin refuses), thousands of
 * each, so that the JIT has compiled them before visitors need them. The paths of a day without
 * an outage are left to the day's own traffic: warming them too would load classes (the rules'
 * CEL, for one) that an edge whose config does not use them never needs.
 *
 * <p>Why: the JVM compiles code when it has run often. A path that only an outage takes is
 * still interpreted when the outage starts, and the bench measured the first 20 s of a refused
 * origin at a quarter of the edge's later speed, with the compiler taking a fifth of a core:
 * the moment the edge exists for was its slowest. Run once at start, the warm-up spends that
 * CPU while nothing is failing. Its edge has its own ports, log and metrics, so nothing of it
 * reaches the serving edge's log, metrics or incidents; only the compiled code is shared.
 */
final class WarmUp {
  private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);
  private static final String DOWN = "down.warmup.example";
  private static final String STALE = "stale.warmup.example";
  /**
   * Measured on a quiet machine (bench/first-outage): after a day of 300,000 proxied 200s, the
   * first 20,000 requests to a refused origin cost 324 µs of CPU each with this warm-up and 470
   * without it, the next 20,000 212 and 257; most of the difference is the JIT compiler's time.
   */
  private static final int PER_PATH = 8000;
  /** The warm-up takes about 25 s on one idle core; this bounds it on a busy machine. */
  private static final Duration BUDGET = Duration.ofSeconds(90);

  /** What a warm-up did. */
  record Result(int requests, long millis) {}

  private WarmUp() {}

  /**
   * Starts the warm-up on a thread of its own once {@code after} completes (the edge has served
   * for a second: its first visitors do not take turns with the warm-up's own edge on one core);
   * the thread logs what it did and ends.
   */
  static void inBackground(CompletionStage<?> after) {
    LOG.info("warm-up in a second: a throw-away edge on loopback (node WARM) gets {} requests to a refused origin and as"
        + " many served stale, so that an outage's paths are compiled before one needs them (warm_up: false turns it off)",
        PER_PATH);
    Thread t = new Thread(() -> {
      try {
        Result r = run(PER_PATH, BUDGET);
        LOG.info("warm-up done: {} requests in {} ms", r.requests(), r.millis());
      } catch (Exception e) {
        LOG.warn("warm-up stopped early, which changes nothing for visitors: {}", e.toString());
      }
    }, "edgeray-warm-up");
    t.setDaemon(true);
    after.whenComplete((done, error) -> t.start());
  }

  /**
   * Sends {@code perPath} requests on each path, round after round, or stops when {@code budget}
   * is spent. An answer other than the path's own is an error: it would warm the wrong code.
   */
  static Result run(int perPath, Duration budget) throws Exception {
    long t0 = System.nanoTime();
    long deadline = t0 + budget.toNanos();
    Path dir = Files.createTempDirectory("edgeray-warm-up");
    try (LoopbackOrigin goingDown = LoopbackOrigin.start("Cache-Control: max-age=0\r\n")) {
      Path config = dir.resolve("edge.yaml");
      Files.writeString(config, config(dir, goingDown.port()));
      int sent = 0;
      try (EdgeNode node = EdgeNode.start(ConfigLoader.load(config), config)) {
        List<Route> paths = new ArrayList<>();
        try {
          paths.add(new Route(node.httpAddress(), DOWN, "/", 521, null));
          new Route(node.httpAddress(), STALE, "/s", 200, null).sendOnceAndClose(); // stored, and stale at once
          goingDown.close(); // its port refuses from now on, and the edge's pooled connection to it is cut
          paths.add(new Route(node.httpAddress(), STALE, "/s", 200, "STALE"));
          for (int round = 0; round < perPath && System.nanoTime() < deadline; round++) {
            for (Route p : paths) p.send();
            sent += paths.size();
          }
        } finally {
          for (Route p : paths) p.close();
        }
      }
      return new Result(sent, (System.nanoTime() - t0) / 1_000_000);
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static String config(Path dir, int goingDown) throws IOException {
    return """
        node: WARM
        listen: { http: 127.0.0.1:0 }
        access_log: %s
        # its 521s are its own, on purpose: no incident, no doctor run
        incidents: { min_failures: 1000000, all_failing_for: 87600h }
        zones:
          - name: %s
            origin_ports: { http: %d }
            records: [ { type: A, name: "@", content: 127.0.0.1, proxied: true } ]
          - name: %s
            origin_ports: { http: %d }
            cache: { enabled: true, always_online: 1d }
            records: [ { type: A, name: "@", content: 127.0.0.1, proxied: true } ]
        """.formatted(dir.resolve("access.jsonl"), DOWN, LoopbackOrigin.closedPort(), STALE, goingDown);
  }

  /** One path: a keep-alive connection to the warm-up edge and the request it repeats. */
  private static final class Route implements AutoCloseable {
    private final Socket socket = new Socket();
    private final byte[] request;
    private final int status;
    /** The Edge-Cache-Status the answer must carry, or null. */
    private final String cacheStatus;
    private final OutputStream out;
    private final InputStream in;
    private final String host;

    Route(InetSocketAddress edge, String host, String target, int status, String cacheStatus) throws IOException {
      this.host = host;
      this.status = status;
      this.cacheStatus = cacheStatus;
      this.request = ("GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: edgeray-warm-up\r\nAccept: */*\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII);
      socket.connect(edge, 2000);
      socket.setSoTimeout(10_000);
      socket.setTcpNoDelay(true);
      out = socket.getOutputStream();
      in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
    }

    void send() throws IOException {
      out.write(request);
      out.flush();
      String got;
      try {
        got = readResponse();
      } catch (SocketTimeoutException e) {
        throw new IOException(host + ": no answer from the warm-up edge in 10 s");
      }
      String expected = status + (cacheStatus == null ? "" : " " + cacheStatus);
      if (!got.equals(expected)) throw new IOException(host + ": the warm-up expected " + expected + " and got " + got);
    }

    void sendOnceAndClose() throws IOException {
      try (this) {
        send();
      }
    }

    /**
     * Reads one response (its head and its Content-Length body) and returns its status, followed
     * by its Edge-Cache-Status when this route expects one.
     */
    private String readResponse() throws IOException {
      StringBuilder line = new StringBuilder();
      String got = null;
      String cache = "";
      long length = 0;
      while (true) {
        int b = in.read();
        if (b < 0) throw new IOException(host + ": the warm-up edge closed the connection");
        if (b != '\n') {
          if (b != '\r') line.append((char) b);
          continue;
        }
        if (line.length() == 0) break;
        String l = line.toString();
        if (got == null) {
          got = l.substring(9, 12);
        } else if (l.regionMatches(true, 0, "content-length:", 0, 15)) {
          length = Long.parseLong(l.substring(15).trim());
        } else if (cacheStatus != null && l.regionMatches(true, 0, "edge-cache-status:", 0, 18)) {
          cache = " " + l.substring(18).trim();
        }
        line.setLength(0);
      }
      for (long left = length; left > 0; left--) {
        if (in.read() < 0) throw new IOException(host + ": the warm-up edge cut the body");
      }
      return got + cache;
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
