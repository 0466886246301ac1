package io.edgeray.observe;

import io.edgeray.observe.RaySummary;

/** Receives every finished ray exactly once. Observers watch; they cannot change what happens to a request. */
public interface RayObserver {
  void rayFinished(RaySummary ray);

  /** A visitor's TLS handshake failed before any ray began; {@code reason} is one of {@code tls.HandshakeFailures}' reasons. */
  default void tlsHandshakeFailed(String reason) {}

  static RayObserver all(RayObserver... observers) {
    return new RayObserver() {
      @Override
      public void rayFinished(RaySummary ray) {
        for (RayObserver o : observers) o.rayFinished(ray);
      }

      @Override
      public void tlsHandshakeFailed(String reason) {
        for (RayObserver o : observers) o.tlsHandshakeFailed(reason);
      }
    };
  }
}
