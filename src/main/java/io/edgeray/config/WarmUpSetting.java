package io.edgeray.config;

/**
 * Whether {@code serve} warms the JIT at start ({@code warm_up:}, on by default): a throw-away
 * loopback edge is sent requests to a refused origin and requests served stale, so that the first
 * seconds of an outage are not also the seconds the JVM compiles its code.
 */
public record WarmUpSetting(boolean enabled) {
  public static final WarmUpSetting DEFAULT = new WarmUpSetting(true);
}
