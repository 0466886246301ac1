package io.edgeray.observe;

import io.edgeray.observe.RaySummary;

/** Receives every finished ray exactly once. Observers watch; they cannot change what happens to a request. */
public interface RayObserver {
  void rayFinished(RaySummary ray);

  static RayObserver all(RayObserver... observers) {
    return ray -> {
      for (RayObserver o : observers) o.rayFinished(ray);
    };
  }
}
