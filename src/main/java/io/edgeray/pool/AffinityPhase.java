package io.edgeray.pool;

import io.edgeray.phase.Decision;
import io.edgeray.phase.Phase;
import io.edgeray.phase.Ray;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;

/** Cookie steering: the response pins the visitor to the pool origin that answered. */
public final class AffinityPhase implements Phase {
  @Override
  public Decision responseHead(Ray ray, HttpResponse response) {
    if (ray.peers() instanceof OriginPicker picker) {
      String affinity = picker.affinityToSet();
      if (affinity != null) response.headers().add(HttpHeaderNames.SET_COOKIE, AffinityCookie.setCookie(affinity));
    }
    return Decision.PROCEED;
  }
}
