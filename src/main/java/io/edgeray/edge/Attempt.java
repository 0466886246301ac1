package io.edgeray.edge;

import io.edgeray.origin.OriginFailure;

/**
 * One try at one origin address within a ray.
 *
 * @param failure null when this attempt got a response head
 * @param reused whether a pooled keep-alive connection was used
 */
public record Attempt(String origin, OriginFailure failure, String detail, long connectMillis, boolean reused) {}
