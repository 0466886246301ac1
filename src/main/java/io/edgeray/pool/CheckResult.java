package io.edgeray.pool;

import java.time.Instant;

/** One health check of one origin: passed or not, why, and how long it took. */
public record CheckResult(Instant time, boolean passed, String detail, long millis) {}
