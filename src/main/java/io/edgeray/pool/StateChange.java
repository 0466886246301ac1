package io.edgeray.pool;

import io.edgeray.failure.OriginFailure;
import java.time.Instant;

/**
 * An origin or a pool changed state: logged, counted, and sent to the pool's webhook.
 *
 * @param origin null when the pool itself changed state
 * @param failure the failure behind the change (a failed health check's 521, 522…), or null
 */
public record StateChange(String pool, String origin, String oldState, String newState, String reason,
    OriginFailure failure, Instant time) {

  public boolean ofPool() {
    return origin == null;
  }
}
