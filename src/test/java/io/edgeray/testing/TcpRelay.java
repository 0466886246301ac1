package io.edgeray.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A port on 127.0.0.1 that relays every connection, byte for byte, to a target set later: a port
 * forward, as an owner's NAT or a second hop would be, that no listener table shows.
 */
public final class TcpRelay implements AutoCloseable {
  private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private volatile InetSocketAddress target;

  private TcpRelay() throws IOException {
    Thread t = new Thread(this::accept, "tcp-relay-" + server.getLocalPort());
    t.setDaemon(true);
    t.start();
  }

  public static TcpRelay listen() throws IOException {
    return new TcpRelay();
  }

  public int port() {
    return server.getLocalPort();
  }

  /** Where connections go from now on. */
  public TcpRelay to(InetSocketAddress target) {
    this.target = target;
    return this;
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket in = server.accept();
        open.add(in);
        if (target == null) {
          in.close();
          continue;
        }
        Socket out = new Socket();
        open.add(out);
        out.connect(target, 2000);
        pump(in, out);
        pump(out, in);
      } catch (IOException e) {
        if (server.isClosed()) return;
      }
    }
  }

  private static void pump(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        in.transferTo(out);
      } catch (IOException gone) {
        // one side closed: the other follows
      } finally {
        try {
          to.shutdownOutput();
        } catch (IOException ignored) {
          // already closed
        }
      }
    }, "tcp-relay-pump");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : open) s.close();
  }
}
