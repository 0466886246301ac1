package io.edgeray.security;

/** What an IP access rule does with a matching visitor. */
public enum IpAccessAction {
  /** Trusted: the firewall rules and rate limits are skipped for this request. */
  ALLOW,
  /** Refused with 403 before anything else runs. */
  BLOCK,
  /** Recorded as an event; the request goes on. */
  LOG;

  public String word() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
