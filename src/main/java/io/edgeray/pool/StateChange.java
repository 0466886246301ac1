package io.edgeray.pool;

import java.time.Instant;

/**
 * An origin or a pool changed state: logged, counted, and sent to the pool's webhook.
 *
 * @param origin null when the pool itself changed state
 */
public record StateChange(String pool, String origin, String oldState, String newState, String reason, Instant time) {

  public boolean ofPool() {
    return origin == null;
  }
}
