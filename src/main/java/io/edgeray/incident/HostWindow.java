package io.edgeray.incident;

import io.edgeray.config.IncidentSettings;
import io.edgeray.observe.RaySummary;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The last minute of one host, counted per second, and its open incident if any. Every method
 * holds the lock, for a few array updates: the event loops of one host wait on each other at most
 * that long.
 *
 * <p>The threshold is crossed when the last 60 seconds hold at least {@code min_failures} origin
 * failures that are at least {@code min_share} of the host's rays, or when every ray has failed
 * for {@code all_failing_for}. An open incident closes once the threshold has not been crossed
 * for {@code close_after}: a flapping origin stays one incident.
 */
final class HostWindow {
  private static final int SECONDS = 60;
  private static final int RECENT_FAILURES = Incident.RAYS_KEPT;

  final String host;
  final String zone;
  private final long[] stamp = new long[SECONDS]; // the epoch second each slot counts, so stale slots read as zero
  private final long[] total = new long[SECONDS];
  private final long[] failed = new long[SECONDS];
  private MinuteCounts previousMinute;
  private MinuteCounts thisMinute;
  private final Deque<RaySummary> recentFailures = new ArrayDeque<>(RECENT_FAILURES);
  /** The first failure since the last ray the origin answered, or -1 when the last ray was answered. */
  private long failingSince = -1;
  private long lastFailure = -1;
  private long lastRay;
  /** The end of the last minute without an origin failure: changes since then may be the cause. */
  private long lastGoodEnd;
  private long lastAbove;
  private Incident open;
  /** The sums over the slots other than {@link #earlierSecond}'s own, which {@link #above} adds to. */
  private long earlierSecond = Long.MIN_VALUE;
  private long earlierRays;
  private long earlierFailures;

  HostWindow(String host, String zone, long nowMillis) {
    this.host = host;
    this.zone = zone;
    this.lastGoodEnd = (nowMillis / 60_000 - 1) * 60_000; // a change just before the first ray may be the cause
    this.lastRay = nowMillis;
  }

  /** @return the incident this ray opens, or null */
  synchronized Incident record(RaySummary r, long now, IncidentSettings s) {
    int code = Incident.failureCode(r);
    long second = now / 1000;
    int slot = (int) (second % SECONDS);
    if (stamp[slot] != second) {
      stamp[slot] = second;
      total[slot] = 0;
      failed[slot] = 0;
    }
    total[slot]++;
    // a ray of another second (two loops race at its turn) changes the sums above() keeps for this one
    if (second != earlierSecond) earlierSecond = Long.MIN_VALUE;
    long minute = second / 60;
    rollMinute(minute);
    thisMinute.add(code);
    lastRay = now;
    if (code != 0) {
      failed[slot]++;
      if (failingSince < 0) failingSince = now;
      lastFailure = now;
      if (recentFailures.size() == RECENT_FAILURES) recentFailures.removeFirst();
      recentFailures.addLast(r);
    } else {
      failingSince = -1;
    }
    if (open != null) {
      open.record(r, minute);
      if (above(now, s)) lastAbove = now;
      return null;
    }
    if (code == 0 || !above(now, s)) return null;
    open = new Incident(host, zone, Instant.ofEpochMilli(now));
    List<MinuteCounts> before = new ArrayList<>(2);
    if (previousMinute != null && previousMinute.minute == minute - 1) before.add(previousMinute);
    before.add(thisMinute);
    open.seed(before, List.copyOf(recentFailures));
    lastAbove = now;
    return open;
  }

  private void rollMinute(long minute) {
    if (thisMinute != null && thisMinute.minute == minute) return;
    if (thisMinute == null || thisMinute.failures == 0 || thisMinute.minute < minute - 1) {
      // the minute before this one had no origin failure (or no ray at all): it was good
      lastGoodEnd = minute * 60_000;
    }
    previousMinute = thisMinute;
    thisMinute = new MinuteCounts(minute);
  }

  private boolean above(long now, IncidentSettings s) {
    long second = now / 1000;
    int slot = (int) (second % SECONDS);
    if (second != earlierSecond) { // once a second, not for every ray of an outage: the 59 seconds before this one
      earlierRays = 0;
      earlierFailures = 0;
      for (int i = 0; i < SECONDS; i++) {
        if (i != slot && stamp[i] > second - SECONDS && stamp[i] <= second) {
          earlierRays += total[i];
          earlierFailures += failed[i];
        }
      }
      earlierSecond = second;
    }
    long rays = earlierRays;
    long failures = earlierFailures;
    if (stamp[slot] == second) {
      rays += total[slot];
      failures += failed[slot];
    }
    if (failures >= s.minFailures() && failures >= s.minShare() * rays) return true;
    // every ray failing for a while, and the last of them recent
    return failingSince >= 0 && now - failingSince >= s.allFailingFor().toMillis() && now - lastFailure < SECONDS * 1000L;
  }

  /** @return the incident that closes now, or null */
  synchronized Incident tick(long now, IncidentSettings s) {
    if (open == null) return null;
    if (above(now, s)) {
      lastAbove = now;
      return null;
    }
    if (now - lastAbove < s.closeAfter().toMillis()) return null;
    Incident closed = open;
    open = null;
    closed.close(Instant.ofEpochMilli(now));
    return closed;
  }

  /** An incident an earlier run left open: it goes on, and closes after {@code close_after} of calm. */
  synchronized void resume(Incident i, long now) {
    open = i;
    lastAbove = now;
  }

  synchronized Instant lastGood() {
    return Instant.ofEpochMilli(lastGoodEnd);
  }

  /** Nothing open and no ray for this long: the window may go. */
  synchronized boolean idleSince(long cutoff) {
    return open == null && lastRay < cutoff;
  }
}
