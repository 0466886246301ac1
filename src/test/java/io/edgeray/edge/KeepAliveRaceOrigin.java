package io.edgeray.edge;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An origin whose keep-alive connections end the way a real origin's do when its keep-alive
 * timeout fires just as the edge reuses the connection: it answers the first request on each
 * connection (200, keep-alive, Content-Length), then reads the next request head and closes with
 * a FIN without answering it. Requests are bodiless; each is recorded as "connection method path".
 */
final class KeepAliveRaceOrigin implements AutoCloseable {
  private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
  private final AtomicInteger connections = new AtomicInteger();
  final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<Socket> open = new CopyOnWriteArrayList<>();

  KeepAliveRaceOrigin() throws IOException {
    Thread acceptor = new Thread(this::accept, "keepalive-race-origin");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  int connections() {
    return connections.get();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        open.add(s);
        int id = connections.incrementAndGet();
        Thread t = new Thread(() -> serve(s, id), "keepalive-race-origin-" + id);
        t.setDaemon(true);
        t.start();
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket s, int id) {
    try (s) {
      s.setSoTimeout(10_000);
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      Head first = readHead(in);
      if (first == null) return;
      requests.add(id + " " + first.request() + first.body(in));
      byte[] body = ("answered on connection " + id).getBytes(StandardCharsets.US_ASCII);
      out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      Head second = readHead(in);
      if (second != null) requests.add(id + " " + second.request() + " (closed unanswered)");
    } catch (IOException gone) {
      // the edge closed first
    }
  }

  /** A request head: "METHOD path", and its Content-Length. */
  private record Head(String request, int contentLength) {
    /** The body that follows, as " [text]", or "" when there is none. */
    String body(InputStream in) throws IOException {
      return contentLength <= 0 ? "" : " [" + new String(in.readNBytes(contentLength), StandardCharsets.ISO_8859_1) + "]";
    }
  }

  /** The next request head, or null at EOF. */
  private static Head readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) return null;
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    int contentLength = 0;
    for (String h : lines) {
      if (h.regionMatches(true, 0, "content-length:", 0, 15)) contentLength = Integer.parseInt(h.substring(15).trim());
    }
    String[] line = lines[0].split(" ");
    return new Head(line[0] + " " + line[1], contentLength);
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : open) s.close();
  }
}
