package io.edgeray.security;

/**
 * The counter keys of one rate limit with one characteristic, {@code prefix + value}, with the
 * keys of recent values kept: a keep-alive visitor sends request after request with the same
 * value (its address, say), and a kept key is one object less per request and a hash the map
 * need not compute again (a String caches its own). Shared by the event loops without locks: a
 * slot holds an immutable record, and a lost race only forgets a key.
 */
final class CounterKeys {
  private static final int SLOTS = 64;

  private record Known(String value, String key) {}

  private final String prefix;
  private final Known[] recent = new Known[SLOTS];

  CounterKeys(String prefix) {
    this.prefix = prefix;
  }

  String prefix() {
    return prefix;
  }

  String key(String value) {
    int slot = value.hashCode() * 0x9E3779B9 >>> 26; // the top 6 bits: one of SLOTS
    Known k = recent[slot];
    if (k != null && k.value().equals(value)) return k.key();
    String key = prefix.concat(value);
    recent[slot] = new Known(value, key);
    return key;
  }
}
