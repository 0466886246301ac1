package io.edgeray.hardening;

import io.edgeray.failure.EdgeRefusal;
import io.edgeray.forwarding.ForwardHeaders;
import io.edgeray.phase.Decision;
import io.edgeray.phase.Phase;
import io.edgeray.phase.Ray;

/**
 * The first request filter: a head that is malformed, ambiguous or not for a host (RFC 9112
 * framing, Host rules, direct IP access) is refused before anything looks at it, and so is a
 * request that has already passed through this edge (CDN-Loop, RFC 8586).
 */
public final class HardeningPhase implements Phase {
  private final String pseudonym;

  public HardeningPhase(String pseudonym) {
    this.pseudonym = pseudonym;
  }

  @Override
  public Decision requestFilter(Ray ray) {
    RequestChecks.Refusal refusal = RequestChecks.framing(ray.request());
    if (refusal == null) refusal = RequestChecks.hostRules(ray.host(), ray.path(), ray.request());
    if (refusal != null) return Decision.refuse(refusal.refusal(), refusal.detail());
    if (ForwardHeaders.isLoop(ray.request().headers(), pseudonym)) {
      return Decision.refuse(EdgeRefusal.LOOP, "CDN-Loop already names " + pseudonym + ": the origin sent the request back to the edge");
    }
    return Decision.PROCEED;
  }
}
