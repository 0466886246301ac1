package io.edgeray.security;

import java.util.List;

/**
 * A zone's compiled security settings, as read from the config: its own IP access rules, its
 * firewall rules in order and its rate limits. Immutable.
 */
public record ZoneSecurity(IpAccessList ipAccess, List<FirewallRule> firewall, List<RateLimitRule> rateLimits) {
  public static final ZoneSecurity NONE = new ZoneSecurity(IpAccessList.EMPTY, List.of(), List.of());

  /** The zone's rules, as the config loader compiled them. */
  public static ZoneSecurity of(io.edgeray.config.Zone zone) {
    return zone.features().get(ZoneSecurity.class, NONE);
  }

  public ZoneSecurity {
    firewall = List.copyOf(firewall);
    rateLimits = List.copyOf(rateLimits);
  }

  public boolean isEmpty() {
    return ipAccess.isEmpty() && firewall.isEmpty() && rateLimits.isEmpty();
  }
}
