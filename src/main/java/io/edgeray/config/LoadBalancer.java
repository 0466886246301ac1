package io.edgeray.config;

import java.util.List;

/**
 * A host name served by pools instead of records: the first pool that is not critical takes the
 * traffic, the next ones take over in order, and {@code fallback} takes it when all are critical.
 *
 * @param host fully qualified, lower case
 * @param fallback the pool of last resort, or null (then the last of {@code pools} is)
 */
public record LoadBalancer(String host, List<String> pools, String fallback) {}
