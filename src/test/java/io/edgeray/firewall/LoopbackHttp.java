package io.edgeray.firewall;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Plain HTTP to a web server on 127.0.0.1 from a chosen loopback source address: 127.0.0.2 plays
 * the edge, 127.0.0.3 anyone else. Nothing leaves the machine.
 */
final class LoopbackHttp {
  static final String VISITOR = "198.51.100.7";

  private LoopbackHttp() {}

  /** The whole response to {@code GET path} sent from {@code source}, claiming to be for VISITOR. */
  static String get(String source, int port, String path) throws IOException {
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 3000);
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write(("GET " + path + " HTTP/1.0\r\nHost: shop.example\r\nEdge-Connecting-IP: " + VISITOR + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** Waits until the server accepts on 127.0.0.1:port; fails with its logs if it exits first. */
  static void awaitListening(int port, Process server, Supplier<String> logs) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (!server.isAlive()) throw new AssertionError("the server exited: " + logs.get());
      try (Socket probe = new Socket()) {
        probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
        return;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    throw new AssertionError("nothing listened on 127.0.0.1:" + port + " within 10 s: " + logs.get());
  }

  static void stop(Process server) throws InterruptedException {
    server.destroy();
    if (!server.waitFor(10, TimeUnit.SECONDS)) server.destroyForcibly().waitFor();
  }
}
