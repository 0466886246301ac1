package io.edgeray.security;

import java.time.Instant;

/**
 * One rule firing on one request: what the owner reads to learn which rules block whom.
 *
 * @param zone the zone, or "-" for a host no zone serves (edge-wide IP rules only)
 * @param rule the firewall or rate-limit rule id, or the IP rule's block ({@code 203.0.113.0/24})
 * @param clientIp the visitor's address as text
 * @param selfLockout the visitor is one of the zone's own origin addresses (its A/AAAA records or
 *     pool origins): the rule is locking the site out of itself
 */
public record SecurityEvent(
    Instant time,
    String zone,
    String rule,
    EventAction action,
    EventKind kind,
    String clientIp,
    String host,
    String path,
    String ray,
    boolean selfLockout) {}
