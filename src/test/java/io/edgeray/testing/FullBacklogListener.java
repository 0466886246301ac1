package io.edgeray.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * A 127.0.0.1 listener that never accepts and whose accept queue is already full, so the kernel
 * drops every further SYN and a connect to it times out: that is how a 522 is made on one machine.
 *
 * <p>Linux keeps up to backlog + 1 finished connections waiting; with backlog 1 that is two. The
 * fixture connects its own clients until one of them times out, which proves the queue is full.
 */
public final class FullBacklogListener implements AutoCloseable {
  private static final int MAX_FILL_ATTEMPTS = 8;
  private static final int FILL_CONNECT_TIMEOUT_MILLIS = 200;

  private final ServerSocket server;
  private final List<Socket> fillers = new ArrayList<>();

  private FullBacklogListener() throws IOException {
    server = new ServerSocket(0, 1, Ports.LOOPBACK);
  }

  /** Opens the listener and fills its queue; throws if the queue would not fill (then SYNs are not dropped). */
  public static FullBacklogListener open() throws IOException {
    FullBacklogListener listener = new FullBacklogListener();
    try {
      listener.fill();
      return listener;
    } catch (IOException | RuntimeException e) {
      listener.close();
      throw e;
    }
  }

  private void fill() throws IOException {
    for (int attempt = 1; attempt <= MAX_FILL_ATTEMPTS; attempt++) {
      Socket client = new Socket();
      try {
        client.connect(address(), FILL_CONNECT_TIMEOUT_MILLIS);
        fillers.add(client);
      } catch (SocketTimeoutException full) {
        client.close();
        return;
      } catch (IOException e) {
        client.close();
        throw e;
      }
    }
    throw new IllegalStateException("accept queue of " + address() + " still took connections after "
        + MAX_FILL_ATTEMPTS + " attempts; new SYNs would not be dropped");
  }

  public int port() {
    return server.getLocalPort();
  }

  public InetSocketAddress address() {
    return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
  }

  /** How many of the fixture's own connections sit in the queue. */
  public int queuedConnections() {
    return fillers.size();
  }

  @Override
  public void close() {
    for (Socket s : fillers) {
      try {
        s.close();
      } catch (IOException ignored) {
        // best effort
      }
    }
    fillers.clear();
    try {
      server.close();
    } catch (IOException ignored) {
      // best effort
    }
  }
}
