package io.edgeray.routing;

import io.edgeray.forwarding.ForwardHeaders;
import io.edgeray.phase.Decision;
import io.edgeray.phase.Phase;
import io.edgeray.phase.Ray;
import io.edgeray.tls.EdgeTls;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/** always_use_https sends HTTP visitors to HTTPS; ssl: off sends HTTPS visitors to HTTP (301). */
public final class SchemeRedirect implements Phase {
  private final EdgeTls tls;

  public SchemeRedirect(EdgeTls tls) {
    this.tls = tls;
  }

  @Override
  public Decision zoneFilter(Ray ray) {
    String location = tls.redirect(ray.zone(), ray.https(), ray.host(), ray.path());
    if (location == null) return Decision.PROCEED;
    FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.MOVED_PERMANENTLY);
    res.headers().set(HttpHeaderNames.LOCATION, location);
    res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
    res.headers().set(ForwardHeaders.EDGE_RAY, ray.id());
    return new Decision.Respond(res, "redirected to " + location);
  }
}
