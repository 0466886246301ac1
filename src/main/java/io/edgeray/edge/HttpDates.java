package io.edgeray.edge;

import io.netty.handler.codec.DateFormatter;
import java.util.Date;

/** The Date header value (RFC 9110 §6.6.1), formatted once per second and shared by every event loop. */
final class HttpDates {
  private record Stamp(long second, String text) {}

  private static volatile Stamp last = new Stamp(-1, "");

  private HttpDates() {}

  static String now() {
    long millis = System.currentTimeMillis();
    long second = millis / 1000;
    Stamp s = last;
    if (s.second() != second) {
      s = new Stamp(second, DateFormatter.format(new Date(second * 1000)));
      last = s;
    }
    return s.text();
  }
}
