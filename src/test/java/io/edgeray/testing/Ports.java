package io.edgeray.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Loopback ports in known states, for making connect failures for real. */
public final class Ports {
  /** 127.0.0.1 itself: {@code getLoopbackAddress()} turns into ::1 when IPv6 is preferred. */
  public static final InetAddress LOOPBACK = loopbackV4();

  private Ports() {}

  /**
   * A 127.0.0.1 port with nothing listening: a connect to it is refused with RST (that is 521).
   * The kernel just handed it out and it is free again; another process could take it in the
   * meantime, but ephemeral ports are picked at random from a large range, so a clash is rare.
   */
  public static int closedPort() {
    try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("could not bind a loopback port", e);
    }
  }

  private static InetAddress loopbackV4() {
    try {
      return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
    } catch (IOException e) {
      throw new ExceptionInInitializerError(e);
    }
  }
}
