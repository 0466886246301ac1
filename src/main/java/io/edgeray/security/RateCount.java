package io.edgeray.security;

/**
 * A counter's answer to one request.
 *
 * @param limited whether the request is over the limit (it was not counted)
 * @param remaining requests still allowed in the current window (0 when limited)
 * @param resetSeconds when limited, seconds until the counter allows again (Retry-After);
 *     otherwise seconds until the current window ends
 */
public record RateCount(boolean limited, int remaining, long resetSeconds) {}
