package io.edgeray.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Loopback ports in known states, for making connect failures for real. */
public final class Ports {
  /** 127.0.0.1 itself: {@code getLoopbackAddress()} turns into ::1 when IPv6 is preferred. */
  public static final InetAddress LOOPBACK = loopbackV4();

  /** Every port handed out in this JVM: the kernel may give the same free port to two calls in a row. */
  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

  private Ports() {}

  /**
   * A 127.0.0.1 port with nothing listening: a connect to it is refused with RST (that is 521).
   * The kernel just handed it out and it is free again; another process could take it in the
   * meantime, but ephemeral ports are picked at random from a large range, so a clash is rare.
   * Never the same port twice in one test run (a test that asked for an origin's port and then
   * an admin port once got one port for both).
   */
  public static int closedPort() {
    for (int tries = 0; tries < 100; tries++) {
      int port;
      try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
        port = s.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException("could not bind a loopback port", e);
      }
      if (HANDED_OUT.add(port)) return port;
    }
    throw new IllegalStateException("no loopback port that was not handed out already, after 100 tries");
  }

  private static InetAddress loopbackV4() {
    try {
      return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
    } catch (IOException e) {
      throw new ExceptionInInitializerError(e);
    }
  }
}
