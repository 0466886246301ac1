package io.edgeray.config;

import java.util.List;

/**
 * The admin listener: where it listens, its own certificate when it speaks HTTPS, the API tokens
 * and whether Prometheus may scrape {@code /metrics} without one.
 *
 * @param tls null for plain HTTP
 */
public record AdminSettings(HostPort listen, CertificateFiles tls, List<AdminToken> tokens, boolean metricsPublic) {
  public AdminSettings {
    tokens = List.copyOf(tokens);
  }

  /** The old form, {@code admin: 127.0.0.1:9090}: plain HTTP and no tokens. */
  public static AdminSettings listenOnly(HostPort listen) {
    return new AdminSettings(listen, null, List.of(), false);
  }
}
