package io.edgeray.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An origin of a few lines on a loopback port, for the edge's own runs against itself (the
 * self-test, the warm-up): it answers every request on every connection with the same small
 * 200, a thread per connection, until it is closed. Once closed, its port refuses and its
 * connections are cut.
 */
final class LoopbackOrigin implements AutoCloseable {
  static final String BODY = "loopback origin";
  private final ServerSocket server;
  private final byte[] answer;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();

  private LoopbackOrigin(ServerSocket server, String extraHeaders) {
    this.server = server;
    this.answer = ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n" + extraHeaders + "Content-Length: " + BODY.length()
        + "\r\n\r\n" + BODY).getBytes(StandardCharsets.US_ASCII);
  }

  /** An origin whose 200 carries {@code extraHeaders} too (each line ending in CR LF). */
  static LoopbackOrigin start(String extraHeaders) throws IOException {
    LoopbackOrigin origin = new LoopbackOrigin(new ServerSocket(0, 16, InetAddress.getLoopbackAddress()), extraHeaders);
    daemon(origin::accept, "edgeray-loopback-origin");
    return origin;
  }

  static LoopbackOrigin start() throws IOException {
    return start("");
  }

  /** A loopback port that nothing listens on: a connection to it is refused. */
  static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  int port() {
    return server.getLocalPort();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        open.add(s);
        daemon(() -> answer(s), "edgeray-loopback-origin-conn");
      } catch (IOException e) {
        // closed by close(): the loop ends
      }
    }
  }

  private void answer(Socket s) {
    try (s) {
      s.setSoTimeout(10_000);
      InputStream in = s.getInputStream();
      byte[] buf = new byte[4096];
      int matched = 0; // of the CR LF CR LF that ends a request head
      for (int n; (n = in.read(buf)) >= 0; ) {
        for (int i = 0; i < n; i++) {
          byte b = buf[i];
          matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
          if (matched == 4) {
            s.getOutputStream().write(answer);
            matched = 0;
          }
        }
      }
    } catch (IOException e) {
      // the edge closed the connection, it idled out, or close() cut it
    } finally {
      open.remove(s);
    }
  }

  private static void daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : open) s.close();
  }
}
