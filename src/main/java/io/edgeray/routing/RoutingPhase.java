package io.edgeray.routing;

import io.edgeray.failure.ClassifiedFailure;
import io.edgeray.failure.OriginFailure;
import io.edgeray.phase.Decision;
import io.edgeray.phase.Peers;
import io.edgeray.phase.Phase;
import io.edgeray.phase.Ray;
import io.edgeray.phase.Upstream;
import io.edgeray.pool.AffinityCookie;
import io.edgeray.pool.Pools;
import io.netty.handler.codec.http.HttpHeaderNames;

/**
 * The upstream peer: the record is the origin, as on Cloudflare. A host's proxied A/AAAA records
 * are tried in order; a load-balanced host (or one with several records) goes to its pools' choice;
 * a proxied CNAME out of our zones is resolved first.
 */
public final class RoutingPhase implements Phase {
  private final OriginRouter router;
  private final Pools pools;

  public RoutingPhase(OriginRouter router, Pools pools) {
    this.router = router;
    this.pools = pools;
  }

  @Override
  public Upstream upstreamPeer(Ray ray) {
    Routing routing = router.route(ray.zone(), ray.host());
    if (routing instanceof Routing.Refused r) {
      return new Upstream.Answer(Decision.refuse(r.refusal(), r.detail()));
    }
    if (routing instanceof Routing.Unresolvable u) {
      return new Upstream.Answer(new Decision.Fail(new ClassifiedFailure(OriginFailure.DNS_ERROR, u.detail())));
    }
    if (routing instanceof Routing.ToPool p) {
      String affinity = AffinityCookie.read(ray.request().headers().get(HttpHeaderNames.COOKIE));
      return new Upstream.Origins(pools.picker(p.balancer(), ray.clientIp(), affinity, ray.originPort()));
    }
    Routing.ToOrigin to = (Routing.ToOrigin) routing;
    return to.name() != null
        ? new Upstream.Lookup(to.name(), ray.originPort())
        : new Upstream.Origins(Peers.addresses(to.addresses(), ray.originPort()));
  }
}
