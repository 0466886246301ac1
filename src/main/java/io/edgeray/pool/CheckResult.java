package io.edgeray.pool;

import io.edgeray.failure.OriginFailure;
import java.time.Instant;

/**
 * One health check of one origin: passed or not, why, and how long it took.
 *
 * @param failure how the check failed to get an answer, in the edge's taxonomy (521, 522, 525…);
 *     null when it passed or the origin answered with the wrong status or body
 */
public record CheckResult(Instant time, boolean passed, OriginFailure failure, String detail, long millis) {}
