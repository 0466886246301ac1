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

/**
 * The features of a ray's life, in the order their hooks run (docs/phases.md draws it). Built
 * with each config, so a reload swaps the features' settings with everything else.
 */
final class Phases {
  /** The hooks that may answer before any origin is involved, in the order they run. */
  enum EarlyHook {
    REQUEST_FILTER, ZONE_FILTER, CACHE_LOOKUP;

    private static final EarlyHook[] IN_ORDER = values(); // values() copies its array at every call

    EarlyHook next() {
      return this == CACHE_LOOKUP ? null : IN_ORDER[ordinal() + 1];
    }
  }

  /** A hook's decision, and which phase made it (so a later decision resumes after it). */
  record Verdict(Decision decision, int phase) {}

  // Per hook, only the phases that override it: most phases use a few of the hooks, and a call to
  // a default that does nothing is still a virtual call on every ray. A verdict's phase is an
  // index into its hook's array.
  private final Phase[] requestFilter, zoneFilter, cacheLookup, upstreamPeer, upstreamRequest, interimResponse,
      responseHead, responseBody, wantsRestOfBody, responseEnd, failToProxy;
  /** The verdict of a hook no phase answered, per early hook: the same every time, so made once. */
  private final Verdict[] noneAnswered;

  Phases(List<Phase> phases) {
    requestFilter = overriding(phases, "requestFilter", Ray.class);
    zoneFilter = overriding(phases, "zoneFilter", Ray.class);
    cacheLookup = overriding(phases, "cacheLookup", Ray.class);
    upstreamPeer = overriding(phases, "upstreamPeer", Ray.class);
    upstreamRequest = overriding(phases, "upstreamRequest", Ray.class, HttpHeaders.class);
    interimResponse = overriding(phases, "interimResponse", Ray.class, HttpHeaders.class);
    responseHead = overriding(phases, "responseHead", Ray.class, HttpResponse.class);
    responseBody = overriding(phases, "responseBody", Ray.class, HttpContent.class);
    wantsRestOfBody = overriding(phases, "wantsRestOfBody", Ray.class);
    responseEnd = overriding(phases, "responseEnd", Ray.class, boolean.class);
    failToProxy = overriding(phases, "failToProxy", Ray.class, ClassifiedFailure.class);
    noneAnswered = new Verdict[EarlyHook.IN_ORDER.length];
    for (EarlyHook h : EarlyHook.IN_ORDER) noneAnswered[h.ordinal()] = new Verdict(Decision.PROCEED, of(h).length);
  }

  /** The phases, in order, whose class overrides the hook {@code name}. */
  private static Phase[] overriding(List<Phase> phases, String name, Class<?>... parameters) {
    return phases.stream().filter(p -> {
      try {
        return p.getClass().getMethod(name, parameters).getDeclaringClass() != Phase.class;
      } catch (NoSuchMethodException e) {
        throw new IllegalArgumentException("Phase has no hook " + name, e);
      }
    }).toArray(Phase[]::new);
  }

  private Phase[] of(EarlyHook hook) {
    return switch (hook) {
      case REQUEST_FILTER -> requestFilter;
      case ZONE_FILTER -> zoneFilter;
      case CACHE_LOOKUP -> cacheLookup;
    };
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
    Phase[] hooked = of(hook);
    for (int i = from; i < hooked.length; i++) {
      Phase p = hooked[i];
      Decision d = switch (hook) {
        case REQUEST_FILTER -> p.requestFilter(ray);
        case ZONE_FILTER -> p.zoneFilter(ray);
        case CACHE_LOOKUP -> p.cacheLookup(ray);
      };
      if (d != Decision.PROCEED) return new Verdict(d, i);
    }
    return noneAnswered[hook.ordinal()];
  }

  /** The first phase that knows the origins decides. */
  Upstream upstreamPeer(Ray ray) {
    for (Phase p : upstreamPeer) {
      Upstream u = p.upstreamPeer(ray);
      if (u != null) return u;
    }
    throw new IllegalStateException("no phase chooses origins");
  }

  void upstreamRequest(Ray ray, HttpHeaders toOrigin) {
    for (Phase p : upstreamRequest) p.upstreamRequest(ray, toOrigin);
  }

  void interimResponse(Ray ray, HttpHeaders headers) {
    for (Phase p : interimResponse) p.interimResponse(ray, headers);
  }

  /** Every phase sees the head, in order, until one answers instead. */
  Decision responseHead(Ray ray, HttpResponse response) {
    for (Phase p : responseHead) {
      Decision d = p.responseHead(ray, response);
      if (d != Decision.PROCEED) return d;
    }
    return Decision.PROCEED;
  }

  void responseBody(Ray ray, HttpContent content) {
    for (Phase p : responseBody) p.responseBody(ray, content);
  }

  /** Whether any phase wants the rest of the origin's body now that the visitor left. */
  boolean wantsRestOfBody(Ray ray) {
    for (Phase p : wantsRestOfBody) if (p.wantsRestOfBody(ray)) return true;
    return false;
  }

  void responseEnd(Ray ray, boolean complete) {
    for (Phase p : responseEnd) p.responseEnd(ray, complete);
  }

  Decision failToProxy(Ray ray, ClassifiedFailure failure) {
    for (Phase p : failToProxy) {
      Decision d = p.failToProxy(ray, failure);
      if (d != Decision.PROCEED) return d;
    }
    return Decision.PROCEED;
  }
}
