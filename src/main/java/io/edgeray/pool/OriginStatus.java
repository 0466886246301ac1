package io.edgeray.pool;

/** Whether an origin takes traffic, and if not, why. */
public enum OriginStatus {
  HEALTHY,
  /** The active monitor took it out. */
  UNHEALTHY,
  /** Real traffic failed to connect to it too often; it returns by itself when the ejection ends. */
  EJECTED,
  /** {@code enabled: false} in the config. */
  DISABLED;

  public String word() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
