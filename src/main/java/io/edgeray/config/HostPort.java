package io.edgeray.config;

import java.net.InetSocketAddress;

/** An address written as {@code host:port} or {@code [v6]:port}. */
public record HostPort(String host, int port) {

  public static HostPort parse(String text) {
    String s = text.trim();
    String host;
    String port;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
        throw new IllegalArgumentException("\"" + text + "\" is not host:port (IPv6 is written [::1]:8080)");
      }
      host = s.substring(1, close);
      port = s.substring(close + 2);
    } else {
      int colon = s.lastIndexOf(':');
      if (colon <= 0 || s.indexOf(':') != colon) {
        throw new IllegalArgumentException("\"" + text + "\" is not host:port (for example 127.0.0.1:8080)");
      }
      host = s.substring(0, colon);
      port = s.substring(colon + 1);
    }
    int p;
    try {
      p = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("\"" + port + "\" is not a port number");
    }
    if (p < 0 || p > 65535) throw new IllegalArgumentException("port " + p + " is out of range 0..65535");
    return new HostPort(host, p);
  }

  public InetSocketAddress toSocketAddress() {
    return new InetSocketAddress(host, port);
  }

  @Override
  public String toString() {
    return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
  }
}
