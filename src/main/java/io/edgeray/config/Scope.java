package io.edgeray.config;

import java.util.Locale;

/** What an admin API token may do: read everything, or also change it. */
public enum Scope {
  READ,
  EDIT;

  /** Whether a caller with this scope may use a route that needs {@code needed}. */
  public boolean allows(Scope needed) {
    return this == EDIT || needed == READ;
  }

  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The scope a config or command line word names, or null. */
  public static Scope parse(String word) {
    for (Scope s : values()) if (s.word().equals(word)) return s;
    return null;
  }
}
