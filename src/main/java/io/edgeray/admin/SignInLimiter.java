package io.edgeray.admin;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Failed token attempts per client address (one limiter for the dashboard's sign-ins, one for
 * {@code Authorization: Bearer} requests): after {@code max} failures within {@code window} the
 * address must wait for the window to end, whatever it sends meanwhile. A token cannot be guessed
 * (256 bits), so this is against noise and against a stolen prefix being tried, not a real brute force.
 */
public final class SignInLimiter {
  private record Window(Instant start, int failures) {}

  private final int max;
  private final Duration window;
  private final Clock clock;
  private final Cache<String, Window> byAddress;

  /** The admin port's rule, for sign-ins and for bearer tokens alike (each with a limiter of its own): 5 failures a minute. */
  public static SignInLimiter standard() {
    return new SignInLimiter(5, Duration.ofMinutes(1), Clock.systemUTC());
  }

  public SignInLimiter(int max, Duration window, Clock clock) {
    this.max = max;
    this.window = window;
    this.clock = clock;
    this.byAddress = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(window).build();
  }

  /** How long this address must wait before it may try again, or null when it may try now. */
  public Duration retryAfter(String address) {
    Window w = byAddress.getIfPresent(address);
    if (w == null || w.failures() < max) return null;
    Duration left = Duration.between(clock.instant(), w.start().plus(window));
    return left.isNegative() || left.isZero() ? null : left;
  }

  public void failed(String address) {
    Instant now = clock.instant();
    byAddress.asMap().compute(address, (a, w) -> w == null || !now.isBefore(w.start().plus(window))
        ? new Window(now, 1) : new Window(w.start(), w.failures() + 1));
  }

  public void succeeded(String address) {
    byAddress.invalidate(address);
  }
}
