package io.edgeray.cache;

import io.netty.handler.codec.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;

/** The age of a stored response (RFC 9111 §4.2.3). Pure. */
public final class EntryAge {
  private EntryAge() {}

  /**
   * corrected_initial_age: the larger of the apparent age (response time minus Date) and the
   * Age header plus the time the request and response took.
   */
  public static Duration initial(HttpHeaders response, Instant requestTime, Instant responseTime) {
    return initial(Freshness.dateOr(response, responseTime), response, requestTime, responseTime);
  }

  /** @param date the response's Date, or its response time when it has none */
  static Duration initial(Instant date, HttpHeaders response, Instant requestTime, Instant responseTime) {
    Duration apparent = Duration.between(date, responseTime);
    if (apparent.isNegative()) apparent = Duration.ZERO;
    long ageValue = ageHeader(response);
    Duration delay = Duration.between(requestTime, responseTime);
    if (delay.isNegative()) delay = Duration.ZERO;
    Duration corrected = Duration.ofSeconds(ageValue).plus(delay);
    return apparent.compareTo(corrected) > 0 ? apparent : corrected;
  }

  /** current_age = corrected_initial_age + resident_time. */
  public static Duration current(Duration initialAge, Instant responseTime, Instant now) {
    Duration resident = Duration.between(responseTime, now);
    return initialAge.plus(resident.isNegative() ? Duration.ZERO : resident);
  }

  /** The Age header as sent (§5.1): a non-negative integer; anything else is 0. */
  static long ageHeader(HttpHeaders h) {
    String v = h.get("Age");
    if (v == null) return 0;
    v = v.trim();
    if (v.isEmpty() || v.length() > 10) return 0;
    for (int i = 0; i < v.length(); i++) if (!Character.isDigit(v.charAt(i))) return 0;
    return Math.min(Long.parseLong(v), CacheControl.MAX_DELTA);
  }
}
