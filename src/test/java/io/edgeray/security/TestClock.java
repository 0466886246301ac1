package io.edgeray.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the test moves by hand: rate limits and expiry are tested without sleeping. */
final class TestClock extends Clock {
  /** A minute boundary, so a test's first window starts with it. */
  static final Instant START = Instant.parse("2026-12-01T10:00:00Z");

  private volatile Instant now = START;

  void advance(Duration d) {
    now = now.plus(d);
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public long millis() {
    return now.toEpochMilli();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
