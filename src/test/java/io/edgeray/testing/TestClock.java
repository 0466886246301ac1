package io.edgeray.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that stands still until the test moves it: lifetimes, windows and expiry are tested without sleeping. */
public final class TestClock extends Clock {
  /** A minute boundary, so a test's first window starts with it. */
  public static final Instant START = Instant.parse("2026-12-01T10:00:00Z");

  private volatile Instant now;

  public TestClock() {
    this(START);
  }

  public TestClock(Instant start) {
    now = start;
  }

  public void advance(Duration d) {
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
