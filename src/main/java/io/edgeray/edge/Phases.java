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
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The features of a ray's life, in the order their hooks run (docs/phases.md draws it). Built
 * with each config, so a reload swaps the features' settings with everything else.
 */
final class Phases {
  /** The hooks that may answer before any origin is involved, in the order they run. */
  enum EarlyHook {
    REQUEST_FILTER, ZONE_FILTER, CACHE_LOOKUP;

    EarlyHook next() {
      return this == CACHE_LOOKUP ? null : values()[ordinal() + 1];
    }
  }

  /** A hook's decision, and which phase made it (so a later decision resumes after it). */
  record Verdict(Decision decision, int phase) {}

  private final List<Phase> phases;
  /** The verdict of a hook no phase answered: the same every time, so made once. */
  private final Verdict noneAnswered;

  Phases(List<Phase> phases) {
    this.phases = List.copyOf(phases);
    this.noneAnswered = new Verdict(Decision.PROCEED, this.phases.size());
  }

  /**
   * The standard features, and around routing and forwarding the ones a zone's config adds
   * (firewall and rate limits among the request filters, the cache before the origin).
   */
  static Phases standard(String pseudonym, OriginRouter router, Pools pools, EdgeTls tls, List<Phase> requestFilters,
      List<Phase> caching) {
    List<Phase> all = new ArrayList<>();
    all.add(new HardeningPhase(pseudonym));      // request filter: framing, host rules, loop
    all.addAll(requestFilters);                  // request filter: IP access, firewall rules, rate limits
    all.add(new ZoneAdmission());                // zone filter: host not served (1001), paused (1018)
    all.add(new SchemeRedirect(tls));            // zone filter: always_use_https, ssl off (301)
    all.addAll(caching);                         // cache lookup, response head and body, fail to proxy
    all.add(new RoutingPhase(router, pools));    // upstream peer: records, pools, CNAME targets
    all.add(new ForwardingPhase(pseudonym));     // upstream request and response head: forwarding headers
    all.add(new AffinityPhase());                // response head: the pool's affinity cookie
    return new Phases(all);
  }

  /** Runs {@code hook} from phase {@code from} on, until one answers. */
  Verdict early(EarlyHook hook, Ray ray, int from) {
    for (int i = from; i < phases.size(); i++) {
      Phase p = phases.get(i);
      Decision d = switch (hook) {
        case REQUEST_FILTER -> p.requestFilter(ray);
        case ZONE_FILTER -> p.zoneFilter(ray);
        case CACHE_LOOKUP -> p.cacheLookup(ray);
      };
      if (d != Decision.PROCEED) return new Verdict(d, i);
    }
    return noneAnswered;
  }

  /** The first phase that knows the origins decides. */
  Upstream upstreamPeer(Ray ray) {
    for (Phase p : phases) {
      Upstream u = p.upstreamPeer(ray);
      if (u != null) return u;
    }
    throw new IllegalStateException("no phase chooses origins");
  }

  void upstreamRequest(Ray ray, HttpHeaders toOrigin) {
    for (int i = 0; i < phases.size(); i++) phases.get(i).upstreamRequest(ray, toOrigin);
  }

  /** Every phase sees the head, in order, until one answers instead. */
  Decision responseHead(Ray ray, HttpResponse response) {
    for (int i = 0; i < phases.size(); i++) { // every response: no lambda, no iterator
      Decision d = phases.get(i).responseHead(ray, response);
      if (d != Decision.PROCEED) return d;
    }
    return Decision.PROCEED;
  }

  void responseBody(Ray ray, HttpContent content) {
    for (int i = 0; i < phases.size(); i++) phases.get(i).responseBody(ray, content);
  }

  /** Whether any phase wants the rest of the origin's body now that the visitor left. */
  boolean wantsRestOfBody(Ray ray) {
    for (Phase p : phases) if (p.wantsRestOfBody(ray)) return true;
    return false;
  }

  void responseEnd(Ray ray, boolean complete) {
    for (int i = 0; i < phases.size(); i++) phases.get(i).responseEnd(ray, complete);
  }

  Decision failToProxy(Ray ray, ClassifiedFailure failure) {
    return firstAnswer(p -> p.failToProxy(ray, failure));
  }

  private Decision firstAnswer(Function<Phase, Decision> hook) {
    for (Phase p : phases) {
      Decision d = hook.apply(p);
      if (d != Decision.PROCEED) return d;
    }
    return Decision.PROCEED;
  }
}
