package io.edgeray.phase;

import io.edgeray.failure.ClassifiedFailure;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;

/**
 * One feature's part in the life of a ray. Every hook does nothing by default; a feature
 * overrides the hooks it needs. The order in which the engine calls them is in
 * {@code docs/phases.md} and in {@code edge/ProxyFlow#start}. Hooks run on the ray's event loop
 * and must not block.
 */
public interface Phase {

  /** Before anything else, zone known or not: may refuse (hardening; firewall and rate limits). */
  default Decision requestFilter(Ray ray) {
    return Decision.PROCEED;
  }

  /** The zone's own rules: may refuse or answer (host not served, pause, scheme redirect). */
  default Decision zoneFilter(Ray ray) {
    return Decision.PROCEED;
  }

  /** May answer from a stored copy. */
  default Decision cacheLookup(Ray ray) {
    return Decision.PROCEED;
  }

  /** Which origins this ray tries, in order; null leaves it to a later phase. */
  default Upstream upstreamPeer(Ray ray) {
    return null;
  }

  /** The request head about to go to the origin; its headers may be changed. */
  default void upstreamRequest(Ray ray, HttpHeaders toOrigin) {}

  /**
   * An interim answer of the origin (103 Early Hints, a 100 the edge did not send itself) about to
   * go to the visitor ahead of the final one; its headers may be changed.
   */
  default void interimResponse(Ray ray, HttpHeaders headers) {}

  /**
   * The origin's response head about to go to the visitor; its headers may be changed. May answer
   * instead (a stored copy the origin's 304 confirmed): the origin's answer is then dropped.
   */
  default Decision responseHead(Ray ray, HttpResponse response) {
    return Decision.PROCEED;
  }

  /** A piece of the origin's response body on its way to the visitor; the phase may copy it, not keep or release it. */
  default void responseBody(Ray ray, HttpContent content) {}

  /**
   * The visitor left while the origin's body was arriving: whether this phase still wants the rest
   * (the cache completing a copy that other visitors follow). When one does, the engine reads the
   * origin on alone, at the origin's pace, calling {@link #responseBody} with each piece and asking
   * again after it, until the body ends or no phase wants more; then {@link #responseEnd}.
   */
  default boolean wantsRestOfBody(Ray ray) {
    return false;
  }

  /**
   * The ray is over: {@code complete} when the origin's whole response arrived and went to the
   * visitor (or, the visitor gone, to the phases that wanted the rest), false when it was cut,
   * failed, or answered by the edge. Runs before logging.
   */
  default void responseEnd(Ray ray, boolean complete) {}

  /**
   * Every try failed and no retry is left, before any response byte went to the visitor: may
   * answer instead of the error page (a stale copy). The ray still counts as this failure.
   */
  default Decision failToProxy(Ray ray, ClassifiedFailure failure) {
    return Decision.PROCEED;
  }
}
