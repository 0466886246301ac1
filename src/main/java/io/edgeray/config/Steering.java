package io.edgeray.config;

import java.util.Locale;

/** How a pool chooses among its available origins. */
public enum Steering {
  /** Each origin in turn. */
  ROUND_ROBIN,
  /** At random, in proportion to the origins' weights. */
  WEIGHTED,
  /** The origin with the fewest requests in flight from this edge. */
  LEAST_OUTSTANDING,
  /** The origin named in the visitor's affinity cookie while it is available; round robin otherwise. */
  COOKIE,
  /** The same origin for the same visitor IP while it is available. */
  IP_HASH;

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The steering a config word names, or null. */
  public static Steering parse(String word) {
    for (Steering s : values()) if (s.configName().equals(word)) return s;
    return null;
  }
}
