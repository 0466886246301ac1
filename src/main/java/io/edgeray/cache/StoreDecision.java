package io.edgeray.cache;

/**
 * Whether a response may be stored (RFC 9111 §3), and why not.
 *
 * @param reason a few words for the log and the Cache-Status {@code detail}
 * @param status what the visitor is told when it is not stored
 */
public record StoreDecision(boolean store, String reason, EdgeCacheStatus status) {
  static StoreDecision yes() {
    return new StoreDecision(true, "stored", EdgeCacheStatus.MISS);
  }

  static StoreDecision bypass(String reason) {
    return new StoreDecision(false, reason, EdgeCacheStatus.BYPASS);
  }

  static StoreDecision dynamic(String reason) {
    return new StoreDecision(false, reason, EdgeCacheStatus.DYNAMIC);
  }
}
