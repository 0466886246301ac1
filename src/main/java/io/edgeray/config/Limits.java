package io.edgeray.config;

import java.time.Duration;

/** Sizes and idle times that protect the edge and its origins. */
public record Limits(
    int requestHead,
    int urlLength,
    int responseHead,
    Duration visitorIdle,
    Duration originIdle,
    Duration shutdownGrace,
    Duration requestHeadTimeout) {

  /**
   * The request-head timeout is 10 s, HAProxy's recommended {@code timeout http-request}: a real
   * client sends its whole head in one or two packets, so 10 s is generous even on a slow mobile
   * link, while a slowloris connection that trickles bytes is closed six times sooner than under
   * nginx's 60 s {@code client_header_timeout}.
   */
  public static final Limits DEFAULTS = new Limits(
      128 * 1024, 16 * 1024, 128 * 1024,
      Duration.ofSeconds(400), Duration.ofSeconds(900), Duration.ofSeconds(30), Duration.ofSeconds(10));
}
