package io.edgeray.config;

import java.util.HashMap;
import java.util.Map;

/**
 * The settings of the features that live above the config (the firewall's rules, the cache's
 * settings), each under its own type. The config model stays at the bottom of the package
 * graph: it carries these without knowing them; the loader puts them in, each feature takes
 * out its own.
 */
public final class Features {
  public static final Features NONE = new Features(Map.of());

  private final Map<Class<?>, Object> byType;

  private Features(Map<Class<?>, Object> byType) {
    this.byType = Map.copyOf(byType);
  }

  /** The settings of type {@code type}, or {@code otherwise} when the config has none. */
  public <T> T get(Class<T> type, T otherwise) {
    Object v = byType.get(type);
    return v == null ? otherwise : type.cast(v);
  }

  /** These features and {@code value} too (replacing one of its type). */
  public <T> Features with(Class<T> type, T value) {
    Map<Class<?>, Object> next = new HashMap<>(byType);
    next.put(type, value);
    return new Features(next);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Features f && f.byType.equals(byType);
  }

  @Override
  public int hashCode() {
    return byType.hashCode();
  }
}
