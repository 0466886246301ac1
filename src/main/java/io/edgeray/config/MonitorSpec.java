package io.edgeray.config;

import java.time.Duration;
import java.util.List;

/**
 * An active health monitor: a check sent to every enabled origin of a pool each {@code interval}.
 *
 * @param host the Host header (and TLS SNI) of HTTP and HTTPS checks; null uses the origin's address
 * @param expectedCodes statuses that count as healthy; a check passes when the status is one of them
 * @param expectedBody a substring the body must contain, or null
 * @param retries extra tries, right away, before one round counts as failed
 * @param consecutiveUp passing rounds in a row that bring an unhealthy origin back
 * @param consecutiveDown failed rounds in a row that take a healthy origin out
 */
public record MonitorSpec(
    Type type,
    String path,
    String method,
    String host,
    List<Integer> expectedCodes,
    String expectedBody,
    Duration interval,
    Duration timeout,
    int retries,
    int consecutiveUp,
    int consecutiveDown) {

  public enum Type { HTTP, HTTPS, TCP }

  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(60);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
  public static final int DEFAULT_RETRIES = 2;
}
