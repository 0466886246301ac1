package io.edgeray.doctor;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The TCP listening sockets of this host's network namespace, read from /proc/net/tcp and tcp6
 * (no ss or netstat needed). For a listener the kernel prints the number of connections waiting
 * in its accept queue where other sockets show their receive queue.
 */
final class ListeningSockets {
  private static final String LISTEN = "0A";
  private static final String ESTABLISHED = "01";

  /**
   * @param queued connections the kernel finished and the server has not accepted yet
   */
  record Listener(InetAddress address, int port, int queued) {
    boolean wildcard() {
      return address.isAnyLocalAddress();
    }

    /** Whether a connection to {@code target} would reach this listener. */
    boolean covers(InetAddress target) {
      // a [::] listener takes IPv4 too unless IPV6_V6ONLY is set, which web servers rarely do
      return address.equals(target) || wildcard() && (address.getAddress().length == 16 || target.getAddress().length == 4);
    }

    String where() {
      String a = address.getHostAddress();
      return (a.contains(":") ? "[" + a + "]" : a) + ":" + port;
    }
  }

  private ListeningSockets() {}

  /** Every listener of this namespace; empty when /proc/net/tcp cannot be read (not Linux). */
  static List<Listener> read(Path procNet) throws IOException {
    List<Listener> out = new ArrayList<>();
    for (String file : List.of("tcp", "tcp6")) {
      Path p = procNet.resolve(file);
      if (!Files.isReadable(p)) continue;
      List<String> lines = Files.readAllLines(p);
      for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 5 || !f[3].equals(LISTEN)) continue;
        String[] local = f[1].split(":");
        String[] queues = f[4].split(":");
        out.add(new Listener(address(local[0]), Integer.parseInt(local[1], 16), Integer.parseInt(queues[1], 16)));
      }
    }
    return out;
  }

  /** Established connections whose local port is {@code port}: the server's open connections on it. */
  static int established(Path procNet, int port) throws IOException {
    int n = 0;
    for (String file : List.of("tcp", "tcp6")) {
      Path p = procNet.resolve(file);
      if (!Files.isReadable(p)) continue;
      for (String line : Files.readAllLines(p)) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 4 || !f[3].equals(ESTABLISHED)) continue;
        String local = f[1];
        if (Integer.parseInt(local.substring(local.indexOf(':') + 1), 16) == port) n++;
      }
    }
    return n;
  }

  static boolean available(Path procNet) {
    return Files.isReadable(procNet.resolve("tcp"));
  }

  /** The kernel prints each 32-bit word of the address in the machine's own byte order. */
  static InetAddress address(String hex) {
    byte[] bytes = new byte[hex.length() / 2];
    boolean little = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    for (int word = 0; word < bytes.length / 4; word++) {
      for (int i = 0; i < 4; i++) {
        int from = word * 4 + (little ? 3 - i : i);
        bytes[word * 4 + i] = (byte) Integer.parseInt(hex.substring(from * 2, from * 2 + 2), 16);
      }
    }
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an address: " + hex, e);
    }
  }
}
