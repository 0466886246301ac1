package io.edgeray.routing;

import io.edgeray.phase.Decision;
import io.edgeray.phase.Phase;
import io.edgeray.phase.Ray;

/** The first zone filter: a host no zone covers (1001), or whose zone is paused (1018), is not proxied. */
public final class ZoneAdmission implements Phase {
  @Override
  public Decision zoneFilter(Ray ray) {
    Routing.Refused refused = OriginRouter.admit(ray.zone(), ray.host());
    return refused == null ? Decision.PROCEED : Decision.refuse(refused.refusal(), refused.detail());
  }
}
