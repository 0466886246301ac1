package io.edgeray.pool;

import io.edgeray.config.OverloadLimit;
import io.edgeray.upstream.ConnectionLimit;
import io.edgeray.config.PassiveHealth;
import io.edgeray.config.MonitorSpec;
import io.edgeray.config.PoolOrigin;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The live state of one pool origin: its monitor verdict, its passive ejection, the requests in
 * flight and the connection limit. Shared by every event loop, so each change is synchronized;
 * nothing here does I/O. The state survives a reload as long as the origin's name, address and
 * port stay the same.
 */
public final class OriginState {
  private static final int RECENT_CHECKS = 10;

  private final String pool;
  private final PoolOrigin origin;
  private final LongSupplier nanos;
  private final AtomicInteger outstanding = new AtomicInteger();
  private final ConnectionLimit connections;
  private final ArrayDeque<CheckResult> recentChecks = new ArrayDeque<>();
  private boolean monitorUp = true;
  /** The fleet's verdict under the pool's health_quorum, or null: this node's own checks decide. */
  private Boolean fleetUp;
  private int checksPassedInARow;
  private int checksFailedInARow;
  private int connectFailuresInARow;
  private int ejectionsInARow;
  private long ejectedUntil;
  private boolean ejected;

  OriginState(String pool, PoolOrigin origin, OverloadLimit limit, LongSupplier nanos) {
    this.pool = pool;
    this.origin = origin;
    this.nanos = nanos;
    this.connections = new ConnectionLimit(limit);
  }

  public PoolOrigin origin() {
    return origin;
  }

  public String pool() {
    return pool;
  }

  /** {@code pool.origin}: how the origin is named in cookies and logs. */
  public String id() {
    return pool + "." + origin.name();
  }

  public ConnectionLimit connections() {
    return connections;
  }

  public int outstanding() {
    return outstanding.get();
  }

  public void requestStarted() {
    outstanding.incrementAndGet();
  }

  public void requestEnded() {
    outstanding.decrementAndGet();
  }

  public synchronized OriginStatus status() {
    if (!origin.enabled()) return OriginStatus.DISABLED;
    if (!(fleetUp != null ? fleetUp : monitorUp)) return OriginStatus.UNHEALTHY;
    // the re-admission timer, not the clock, ends an ejection, so the pool's status changes with it
    if (ejected) return OriginStatus.EJECTED;
    return OriginStatus.HEALTHY;
  }

  /** This node's own verdict, from its checks and its traffic alone: what it publishes to the fleet. */
  public synchronized OriginStatus ownStatus() {
    if (!origin.enabled()) return OriginStatus.DISABLED;
    if (!monitorUp) return OriginStatus.UNHEALTHY;
    if (ejected) return OriginStatus.EJECTED;
    return OriginStatus.HEALTHY;
  }

  synchronized boolean monitorUp() {
    return monitorUp;
  }

  /** The last health check, or null before the first. */
  public synchronized CheckResult lastCheck() {
    return recentChecks.peekLast();
  }

  /** Sets the fleet's verdict (null: back to this node's own). */
  synchronized void fleetVerdict(Boolean up) {
    fleetUp = up;
  }

  public boolean available() {
    return status() == OriginStatus.HEALTHY;
  }

  synchronized boolean ejected() {
    return status() == OriginStatus.EJECTED;
  }

  /** The moment an ejection ends, or null when not ejected. */
  public synchronized Instant ejectedUntil() {
    if (status() != OriginStatus.EJECTED) return null;
    return Instant.now().plusNanos(ejectedUntil - nanos.getAsLong());
  }

  public synchronized List<CheckResult> recentChecks() {
    return List.copyOf(recentChecks);
  }

  /**
   * A connection to this origin could not be made (521, 522, 523, 525, 526).
   *
   * @param mayEject whether the pool's cap on ejected origins leaves room for one more
   * @return how long it is now ejected for, or 0 when it stays in rotation
   */
  synchronized long connectFailed(PassiveHealth passive, boolean mayEject) {
    if (ejected) return 0; // requests that picked it before the ejection: already counted
    connectFailuresInARow++;
    if (connectFailuresInARow < passive.failures() || !mayEject) return 0;
    connectFailuresInARow = 0;
    ejectionsInARow++;
    long forNanos = passive.ejectionFor(ejectionsInARow).toNanos();
    ejectedUntil = nanos.getAsLong() + forNanos;
    ejected = true;
    return forNanos;
  }

  /** A connection was made: the failure streak ends, and so does the growth of ejection times. */
  synchronized void connectSucceeded() {
    connectFailuresInARow = 0;
    if (status() != OriginStatus.EJECTED) ejectionsInARow = 0;
  }

  /** The ejection time has passed: the origin takes traffic again. */
  synchronized boolean readmitIfDue() {
    if (!ejected || nanos.getAsLong() - ejectedUntil < 0) return false;
    ejected = false;
    return true;
  }

  /** The pool no longer has a monitor: its last verdict no longer holds. */
  synchronized void unmonitored() {
    monitorUp = true;
    fleetUp = null;
    checksPassedInARow = 0;
    checksFailedInARow = 0;
  }

  /**
   * Counts a monitor round.
   *
   * @return whether the monitor verdict changed
   */
  synchronized boolean checked(CheckResult result, MonitorSpec spec) {
    recentChecks.addLast(result);
    while (recentChecks.size() > RECENT_CHECKS) recentChecks.removeFirst();
    if (result.passed()) {
      checksPassedInARow++;
      checksFailedInARow = 0;
      if (!monitorUp && checksPassedInARow >= spec.consecutiveUp()) {
        monitorUp = true;
        return true;
      }
    } else {
      checksFailedInARow++;
      checksPassedInARow = 0;
      if (monitorUp && checksFailedInARow >= spec.consecutiveDown()) {
        monitorUp = false;
        return true;
      }
    }
    return false;
  }
}
