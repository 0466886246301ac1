package io.edgeray.security;

import java.util.Locale;

/** Which kind of rule made an event. */
public enum EventKind {
  IP, FIREWALL, RATE_LIMIT;

  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }
}
