package io.edgeray.doctor;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Each listening socket's own backlog, from {@code ss -ltn}: for a listener, Recv-Q is the
 * connections waiting in its accept queue and Send-Q the backlog it asked for (capped by
 * {@code net.core.somaxconn}). /proc/net/tcp has the queue but not the backlog, so without ss
 * only the system cap is known.
 */
final class ListenBacklogs {
  /** @param address null for {@code *} (every address) */
  record Entry(InetAddress address, int port, int queued, int backlog) {
    boolean matches(ListeningSockets.Listener l) {
      if (l.port() != port) return false;
      if (address == null) return l.address().isAnyLocalAddress();
      return address.equals(l.address());
    }
  }

  private ListenBacklogs() {}

  /** Runs {@code ss -ltn}; empty when ss is absent or fails. */
  static Optional<List<Entry>> read(java.time.Duration timeout) {
    return HostTool.run(timeout, "ss", "-ltn").filter(o -> o.exitCode() == 0).map(o -> parse(o.text()));
  }

  /** Parses {@code ss -ltn}: {@code LISTEN 0 511 0.0.0.0:80 0.0.0.0:*}, addresses like {@code [::]:443}, {@code *:80}, {@code 127.0.0.53%lo:53}. */
  static List<Entry> parse(String text) {
    List<Entry> out = new ArrayList<>();
    for (String line : text.lines().toList()) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 4 || !f[0].equals("LISTEN")) continue;
      String local = f[3];
      int colon = local.lastIndexOf(':');
      if (colon < 0) continue;
      try {
        int queued = Integer.parseInt(f[1]);
        int backlog = Integer.parseInt(f[2]);
        int port = Integer.parseInt(local.substring(colon + 1));
        String host = local.substring(0, colon);
        int pct = host.indexOf('%');
        if (pct >= 0) host = host.substring(0, pct);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        InetAddress address = host.equals("*") ? null : InetAddress.getByName(host); // literals only: no lookup
        out.add(new Entry(address, port, queued, backlog));
      } catch (NumberFormatException | UnknownHostException e) {
        // a header or a line of another shape
      }
    }
    return out;
  }
}
