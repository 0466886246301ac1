package io.edgeray.edge;

import io.edgeray.failure.ClassifiedFailure;
import io.edgeray.forwarding.ForwardingPhase;
import io.edgeray.hardening.HardeningPhase;
import io.edgeray.phase.Decision;
import io.edgeray.phase.Phase;
import io.edgeray.phase.Ray;
import io.edgeray.phase.Upstream;
import io.edgeray.pool.AffinityPhase;
import io.edgeray.pool.Pools;
import io.edgeray.routing.OriginRouter;
import io.edgeray.routing.RoutingPhase;
import io.edgeray.routing.SchemeRedirect;
import io.edgeray.routing.ZoneAdmission;
import io.edgeray.tls.EdgeTls;
import java.util.List;

/**
 * The features of a ray's life, in the order their hooks run (docs/phases.md draws it). Built
 * with each config, so a reload swaps the features' settings with everything else.
 */
final class Phases {
  private final List<Phase> phases;

  Phases(List<Phase> phases) {
    this.phases = List.copyOf(phases);
  }

  static Phases standard(String pseudonym, OriginRouter router, Pools pools, EdgeTls tls) {
    return new Phases(List.of(
        new HardeningPhase(pseudonym),      // request filter: framing, host rules, loop
        new ZoneAdmission(),                // zone filter: host not served (1001), paused (1018)
        new SchemeRedirect(tls),            // zone filter: always_use_https, ssl off (301)
        new RoutingPhase(router, pools),    // upstream peer: records, pools, CNAME targets
        new ForwardingPhase(pseudonym),     // upstream request and response head: forwarding headers
        new AffinityPhase()));              // response head: the pool's affinity cookie
  }

  Decision requestFilter(Ray ray) {
    for (Phase p : phases) {
      Decision d = p.requestFilter(ray);
      if (d != Decision.PROCEED) return d;
    }
    return Decision.PROCEED;
  }

  Decision zoneFilter(Ray ray) {
    for (Phase p : phases) {
      Decision d = p.zoneFilter(ray);
      if (d != Decision.PROCEED) return d;
    }
    return Decision.PROCEED;
  }

  Decision cacheLookup(Ray ray) {
    for (Phase p : phases) {
      Decision d = p.cacheLookup(ray);
      if (d != Decision.PROCEED) return d;
    }
    return Decision.PROCEED;
  }

  /** The first phase that knows the origins decides. */
  Upstream upstreamPeer(Ray ray) {
    for (Phase p : phases) {
      Upstream u = p.upstreamPeer(ray);
      if (u != null) return u;
    }
    throw new IllegalStateException("no phase chooses origins");
  }

  void upstreamRequest(Ray ray, io.netty.handler.codec.http.HttpHeaders toOrigin) {
    for (Phase p : phases) p.upstreamRequest(ray, toOrigin);
  }

  void responseHead(Ray ray, io.netty.handler.codec.http.HttpResponse response) {
    for (Phase p : phases) p.responseHead(ray, response);
  }

  Decision failToProxy(Ray ray, ClassifiedFailure failure) {
    for (Phase p : phases) {
      Decision d = p.failToProxy(ray, failure);
      if (d != Decision.PROCEED) return d;
    }
    return Decision.PROCEED;
  }
}
