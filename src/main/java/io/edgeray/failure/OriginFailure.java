package io.edgeray.failure;

import io.edgeray.failure.EdgeError;

/**
 * The failure taxonomy: every way the edge can fail to get a response from an origin. Each
 * failure is classified once, where it happens, and the status, page title, Proxy-Status error
 * and retry rule all follow from the constant.
 */
public enum OriginFailure implements EdgeError {
  RESPONSE_INCOMPLETE(520, "Web server is returning an unknown error", "http_response_incomplete", false),
  RESPONSE_MALFORMED(520, "Web server is returning an unknown error", "http_protocol_error", false),
  RESPONSE_HEAD_TOO_LARGE(520, "Web server is returning an unknown error", "http_response_header_section_size", false),
  CONNECTION_REFUSED(521, "Web server is down", "connection_refused", true),
  CONNECT_TIMEOUT(522, "Connection timed out", "connection_timeout", true),
  UNREACHABLE(523, "Origin is unreachable", "destination_ip_unroutable", true),
  RESPONSE_TIMEOUT(524, "A timeout occurred", "http_response_timeout", false),
  WRITE_TIMEOUT(524, "A timeout occurred", "connection_write_timeout", false),
  TLS_HANDSHAKE(525, "SSL handshake failed", "tls_protocol_error", true),
  TLS_CERTIFICATE(526, "Invalid SSL certificate", "tls_certificate_error", true),
  DNS_ERROR(530, "Origin DNS error", "dns_error", false);

  private final int status;
  private final String title;
  private final String proxyStatus;
  private final boolean failoverAllowed;

  OriginFailure(int status, String title, String proxyStatus, boolean failoverAllowed) {
    this.status = status;
    this.title = title;
    this.proxyStatus = proxyStatus;
    this.failoverAllowed = failoverAllowed;
  }

  @Override
  public int status() {
    return status;
  }

  /** 530 shows the 1016 code in its body, as Cloudflare's does. */
  @Override
  public int code() {
    return this == DNS_ERROR ? 1016 : status;
  }

  @Override
  public String title() {
    return title;
  }

  @Override
  public String proxyStatus() {
    return proxyStatus;
  }

  @Override
  public Culprit culprit() {
    return Culprit.HOST;
  }

  @Override
  public int retryAfterSeconds() {
    return switch (this) {
      case CONNECTION_REFUSED, CONNECT_TIMEOUT, UNREACHABLE, DNS_ERROR -> 30;
      case RESPONSE_TIMEOUT, WRITE_TIMEOUT -> 60;
      default -> 0;
    };
  }

  /**
   * Whether another origin may be tried: only when the failure happened before any byte of the
   * request could have reached this origin.
   */
  public boolean failoverAllowed() {
    return failoverAllowed;
  }
}
