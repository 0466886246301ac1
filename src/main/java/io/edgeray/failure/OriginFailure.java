package io.edgeray.failure;

import io.edgeray.failure.EdgeError;
import java.util.Arrays;

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

  // The distinct statuses and codes, ascending: counters kept per failure on every failed ray are
  // arrays indexed by these slots, not maps with a boxed key per ray.
  private static final int[] STATUSES = Arrays.stream(values()).mapToInt(OriginFailure::status).distinct().sorted().toArray();
  private static final int[] CODES = Arrays.stream(values()).mapToInt(OriginFailure::code).distinct().sorted().toArray();

  /** How many distinct statuses origin failures have (520 to 530: eight). */
  public static int statusSlots() {
    return STATUSES.length;
  }

  /** The slot of an origin failure's status, 0 to {@link #statusSlots()} - 1, or -1 for any other status. */
  public static int statusSlot(int status) {
    return Math.max(-1, Arrays.binarySearch(STATUSES, status));
  }

  /** How many distinct codes origin failures have (their statuses, with 1016 for 530). */
  public static int codeSlots() {
    return CODES.length;
  }

  /** The slot of an origin failure's code, 0 to {@link #codeSlots()} - 1, or -1 for any other code. */
  public static int codeSlot(int code) {
    return Math.max(-1, Arrays.binarySearch(CODES, code));
  }

  /** The code in {@code slot}, ascending with the slot. */
  public static int codeAt(int slot) {
    return CODES[slot];
  }
}
