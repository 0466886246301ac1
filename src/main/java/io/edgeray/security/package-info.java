/**
 * The edge's request filter: IP access rules, firewall rules in CEL and rate limits, each
 * compiled once per config load into an immutable {@link io.edgeray.security.SecurityPolicy} that
 * the engine asks with {@link io.edgeray.security.SecurityPolicy#evaluate} for every request.
 *
 * <p>Order for one request: IP access rules (the zone's, then the edge-wide ones), then the zone's
 * firewall rules in order, then its rate limits. Counters and events outlive a reload: they live in
 * {@link io.edgeray.security.SecurityRuntime}, which the engine creates once.
 */
package io.edgeray.security;
