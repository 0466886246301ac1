package io.edgeray.cache;

import io.edgeray.failure.OriginFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Whether a stored copy may stand in for an origin that failed: inside the zone's
 * {@code always_online} window or the response's {@code stale-if-error} (RFC 5861 §4), and never
 * when the origin forbade stale copies (must-revalidate, proxy-revalidate, s-maxage, no-cache)
 * unless it also said stale-if-error. Pure.
 */
public final class AlwaysOnline {
  private AlwaysOnline() {}

  /** Why a stale copy is allowed. */
  public enum Reason {
    ALWAYS_ONLINE("always-online"), STALE_IF_ERROR("stale-if-error");

    public final String detail;

    Reason(String detail) {
      this.detail = detail;
    }
  }

  public static Optional<Reason> staleAllowed(EntryMeta entry, int failureStatus, Instant now, CacheSettings zone, CacheRule rule) {
    if (OriginFailure.statusSlot(failureStatus) < 0) return Optional.empty(); // not an origin failure's status
    if (!zone.enabled() || rule.bypass()) return Optional.empty();
    EntryFacts facts = entry.facts();
    OptionalLong sie = facts.staleIfError();
    boolean forbidden = facts.forbidsStale() || facts.noCache();
    if (forbidden && sie.isEmpty()) return Optional.empty();
    Freshness.Lifetime life = facts.lifetime(zone, rule);
    Duration staleness = ServePolicy.age(entry, now).minus(life.value());
    if (staleness.isNegative()) staleness = Duration.ZERO;
    if (sie.isPresent() && staleness.getSeconds() <= sie.getAsLong()) return Optional.of(Reason.STALE_IF_ERROR);
    if (!forbidden && !zone.alwaysOnline().isZero() && staleness.compareTo(zone.alwaysOnline()) <= 0) {
      return Optional.of(Reason.ALWAYS_ONLINE);
    }
    return Optional.empty();
  }

  /** The origin's own errors that stale-if-error covers (RFC 5861 §4); Always Online does not. */
  public static final Set<Integer> ORIGIN_ERROR_RESPONSES = Set.of(500, 502, 503, 504);

  /** Whether the origin's own 500, 502, 503 or 504 may be replaced by the stored copy: only by its stale-if-error. */
  public static boolean staleIfErrorAllows(EntryMeta entry, int originStatus, Instant now, CacheSettings zone, CacheRule rule) {
    if (!ORIGIN_ERROR_RESPONSES.contains(originStatus) || !zone.enabled() || rule.bypass()) return false;
    OptionalLong sie = entry.facts().staleIfError();
    if (sie.isEmpty()) return false;
    Freshness.Lifetime life = entry.facts().lifetime(zone, rule);
    Duration staleness = ServePolicy.age(entry, now).minus(life.value());
    return staleness.isNegative() || staleness.getSeconds() <= sie.getAsLong();
  }
}
