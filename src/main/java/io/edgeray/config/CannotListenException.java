package io.edgeray.config;

import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;

/**
 * A listener that could not be opened, said in words: which address, for which key of the
 * config, and why ("127.0.0.1:8080 (listen.http) is already in use by another process").
 */
public final class CannotListenException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private CannotListenException(String message, Throwable cause) {
    super(message, cause);
  }

  /** {@code key} is the config key ({@code listen.http}, {@code admin}, ...); {@code cause} what the bind threw. */
  public static CannotListenException of(String key, HostPort address, Throwable cause) {
    return new CannotListenException(address + " (" + key + ") " + reason(cause), cause);
  }

  static String reason(Throwable cause) {
    if (cause instanceof UnresolvedAddressException) return "does not resolve to an address";
    String m = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
    if (m.contains("already in use")) return "is already in use by another process";
    if (m.contains("cannot assign requested address")) return "is not an address of this machine";
    if (m.contains("permission denied") || m.contains("access denied")) {
      return "cannot be opened without privileges (ports below 1024 need root or CAP_NET_BIND_SERVICE)";
    }
    return "cannot be opened: " + cause;
  }
}
