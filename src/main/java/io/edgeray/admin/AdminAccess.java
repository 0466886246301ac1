package io.edgeray.admin;

import io.edgeray.config.Scope;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/** Who may use a route. (Skeleton: every caller is let through until tokens land.) */
public final class AdminAccess {
  public Handler<RoutingContext> read() {
    return RoutingContext::next;
  }

  public Handler<RoutingContext> edit() {
    return RoutingContext::next;
  }

  public Identity identity(RoutingContext ctx) {
    return new Identity("anonymous", Scope.EDIT, ctx.request().remoteAddress().hostAddress());
  }
}
