package io.edgeray.config;

import io.edgeray.config.Steering;
import io.edgeray.config.PoolOrigin;
import io.edgeray.config.PassiveHealth;
import io.edgeray.config.OverloadLimit;
import io.edgeray.config.MonitorSpec;
import java.net.URI;
import java.util.List;

/**
 * A named pool of origins, as configured.
 *
 * @param retries how many more origins a request may try after the first (default 1)
 * @param retryIdempotent whether a GET, HEAD, OPTIONS, PUT or DELETE without a body whose bytes
 *     already reached an origin (520, 524) may be tried on another; connect failures always may
 * @param healthThreshold fewer available origins than this make the pool critical
 * @param monitor the active health check, or null for none
 * @param webhook the webhook told about every state change, or null
 * @param healthQuorum in a fleet, how many nodes must see an origin unhealthy before every node
 *     takes it out; 0 when not set: each node goes by its own checks
 */
public record PoolSpec(
    String name,
    List<PoolOrigin> origins,
    Steering steering,
    int retries,
    boolean retryIdempotent,
    int healthThreshold,
    MonitorSpec monitor,
    PassiveHealth passive,
    OverloadLimit limit,
    URI webhook,
    int healthQuorum) {

  public PoolSpec(String name, List<PoolOrigin> origins, Steering steering, int retries, boolean retryIdempotent,
      int healthThreshold, MonitorSpec monitor, PassiveHealth passive, OverloadLimit limit, URI webhook) {
    this(name, origins, steering, retries, retryIdempotent, healthThreshold, monitor, passive, limit, webhook, 0);
  }
}
