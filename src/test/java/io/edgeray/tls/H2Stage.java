package io.edgeray.tls;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.FaultyOrigin;
import io.edgeray.testing.H2Client;
import io.edgeray.testing.TestPki;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * The stage the raw HTTP/2 tests play on: an HTTPS edge with two zones, {@code shop.test} in
 * front of an origin that answers and {@code slow.test} in front of one that accepts and then
 * never reads or answers (so a stream stays open as long as a test needs), and the sentinel
 * requests that close a scenario's stretch of the access log ({@link H2Log}).
 */
final class H2Stage implements AutoCloseable {
  private final EdgeExtension edge;
  private final TestPki pki;
  private final FaultyOrigin origin;
  private final ServerSocket stalling;
  private final SSLContext tls;
  private final List<Socket> held = new CopyOnWriteArrayList<>();
  private final AtomicInteger sentinels = new AtomicInteger();

  private H2Stage(EdgeExtension edge, Path dir) throws Exception {
    this.edge = edge;
    pki = new TestPki(dir.resolve("pki"));
    origin = FaultyOrigin.start();
    stalling = new ServerSocket();
    stalling.bind(new InetSocketAddress("127.0.0.1", 0));
    Thread accept = new Thread(() -> {
      try {
        while (true) held.add(stalling.accept()); // reads nothing, answers nothing
      } catch (IOException closed) {
        // the stage is closing
      }
    });
    accept.setDaemon(true);
    accept.start();
    String c = pki.issue(List.of("shop.test", "slow.test")).yaml();
    edge.start(zone("shop.test", "ssl: flexible\norigin_ports: { http: " + origin.port() + " }\n" + c)
        + zone("slow.test", "ssl: flexible\norigin_ports: { http: " + stalling.getLocalPort() + " }\n" + c));
    tls = pki.clientContext();
  }

  /** Starts the origins and the (per-class) edge; its files go under {@code dir}. */
  static H2Stage start(EdgeExtension edge, Path dir) throws Exception {
    return new H2Stage(edge, dir);
  }

  /** A zone as the HTTP/2 tests have it: with connect, read and write timeouts of 3 s, 10 s and 10 s. */
  private static String zone(String name, String settings) {
    return EdgeExtension.zone(name, "timeouts: { connect: 3s, read: 10s, write: 10s }\n" + settings);
  }

  TestPki pki() {
    return pki;
  }

  /** A raw HTTP/2 connection to the edge, for frames no well-behaved client would send. */
  RawH2 connect() throws IOException {
    return new RawH2(edge.httpsPort(), tls, "shop.test");
  }

  /** As {@link #connect()}, with or without the client preface, and with a receive buffer of that many bytes. */
  RawH2 connect(boolean preface, int receiveBuffer) throws IOException {
    return new RawH2(edge.httpsPort(), tls, "shop.test", preface, receiveBuffer);
  }

  /** A well-behaved HTTP/2 client, as another visitor. */
  H2Client client() throws Exception {
    return new H2Client(edge.httpsPort(), "shop.test", pki.ca());
  }

  /** Starts a scenario: its lines are those the log gets from now on. */
  H2Log mark() throws Exception {
    return H2Log.markAfter(edge.log().file(), sentinel());
  }

  /** The scenario's lines, after a sentinel request closed it. */
  List<JsonNode> lines(H2Log log) throws Exception {
    return log.linesBefore(sentinel());
  }

  private String sentinel() throws Exception {
    String path = "/sentinel-" + sentinels.incrementAndGet();
    try (H2Client h2 = client()) {
      assertThat(h2.send("GET", "shop.test", path, null).status()).isEqualTo(200);
    }
    return path;
  }

  /** The :status of a response head; fails, saying what came instead, when it is not one. */
  static String status(RawH2.Frame f) {
    assertThat(f.headers()).as("a response head, not %s", f).isNotNull();
    return f.headers().status().toString();
  }

  @Override
  public void close() throws IOException {
    origin.close();
    stalling.close();
    for (Socket s : held) s.close();
  }
}
