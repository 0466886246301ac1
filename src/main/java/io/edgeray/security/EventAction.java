package io.edgeray.security;

import java.util.Locale;

/** What a rule did to the request an event records. */
public enum EventAction {
  /** Refused: 403 for IP and firewall rules, 429 for rate limits. */
  BLOCK,
  /** Recorded only; the request went on. */
  LOG;

  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }
}
