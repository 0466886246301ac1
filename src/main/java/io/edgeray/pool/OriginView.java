package io.edgeray.pool;

import io.edgeray.failure.OriginFailure;
import io.edgeray.failure.SeenFrom;
import java.time.Instant;

/**
 * One node's view of one pool origin, from its own health checks.
 *
 * @param state that node's own verdict: healthy, unhealthy, ejected (its passive check), disabled
 * @param lastCheck when its last check ended, or null before the first
 * @param failure the last check's failure class, or null (passed, or a wrong status or body)
 * @param detail the last check's detail, or null
 * @param at when the node published this view
 */
public record OriginView(String node, String location, String state, Instant lastCheck, Boolean passed,
    OriginFailure failure, String detail, Instant at) {

  /** This node's own view of {@code o}, as it publishes it. */
  public static OriginView own(String node, String location, OriginState o, Instant at) {
    CheckResult last = o.lastCheck();
    return new OriginView(node, location, o.ownStatus().word(), last == null ? null : last.time(),
        last == null ? null : last.passed(), last == null ? null : last.failure(), last == null ? null : last.detail(), at);
  }

  public boolean unhealthy() {
    return OriginStatus.UNHEALTHY.word().equals(state);
  }

  /** Whether it counts towards a quorum: a node that checks the origin (not one that has it disabled). */
  public boolean reporting() {
    return !OriginStatus.DISABLED.word().equals(state);
  }

  SeenFrom.Sight sight() {
    if (OriginStatus.EJECTED.word().equals(state)) return SeenFrom.Sight.failed(node, null, "fails visitors' connections");
    if (!unhealthy()) return SeenFrom.Sight.answered(node);
    return SeenFrom.Sight.failed(node, failure, failure == null ? "fails its health check" : null);
  }
}
