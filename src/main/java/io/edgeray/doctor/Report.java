package io.edgeray.doctor;

import io.edgeray.failure.OriginFailure;
import java.time.Instant;
import java.util.List;

/**
 * A finished examination: the verdict (most likely cause first), every check, and the facts the
 * support message quotes.
 *
 * @param rays ray ids that tie this case to the edge's pages and log lines: the doctor's own request first
 * @param onOriginHost made by {@code --local} on the origin host rather than from the edge
 * @param failure how the origin failed as seen from this node: the class the edge answered with,
 *     else the direct probe's; null when it answered (or the failure has no class). Nodes of a
 *     fleet compare it: the same from everywhere is the origin, from one place only a path.
 */
public record Report(String host, String node, Instant started, long millis, List<Finding> findings,
    List<CheckResult> checks, List<String> rays, boolean onOriginHost, OriginFailure failure) {

  public Report(String host, String node, Instant started, long millis, List<Finding> findings, List<CheckResult> checks,
      List<String> rays, boolean onOriginHost) {
    this(host, node, started, millis, findings, checks, rays, onOriginHost, null);
  }

  /** The verdict's next steps; on the origin host, without the advice to run the doctor there. */
  public List<String> nextSteps() {
    return verdict().cause().nextSteps().stream().filter(s -> !onOriginHost || !s.contains("--local")).toList();
  }

  public Finding verdict() {
    return findings.get(0);
  }

  public boolean healthy() {
    return verdict().cause() == Cause.HEALTHY;
  }

  /** 0 healthy, 1 a problem was found. (2, the doctor could not run, never makes a report.) */
  public int exitCode() {
    return healthy() ? 0 : 1;
  }
}
