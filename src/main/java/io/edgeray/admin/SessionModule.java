package io.edgeray.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeray.config.AdminToken;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;

/**
 * The dashboard's sign-in: {@code POST /api/session {"token"}} trades a token for a session
 * cookie and a CSRF value, {@code GET} says who the session is, {@code DELETE} signs out. Failed
 * sign-ins are limited per client address.
 */
public final class SessionModule implements AdminModule {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What a session is: the token's name and scope, and the value its state-changing requests must send. */
  public record SessionView(String name, String scope, String csrf) {}

  private final SignInLimiter signIns;

  public SessionModule(SignInLimiter signIns) {
    this.signIns = signIns;
  }

  @Override
  public void mount(Router router, AdminAccess access) {
    router.post("/api/session").handler(ctx -> signIn(ctx, access));
    router.get("/api/session").handler(ctx -> {
      AdminToken token = access.sessionToken(ctx);
      if (token == null) {
        AdminErrors.fail(ctx, 401, "no_session", "not signed in: POST /api/session {\"token\": \"...\"}", null);
        return;
      }
      AdminJson.send(ctx, 200, view(token, ctx.session()));
    });
    router.delete("/api/session").handler(access.read()).handler(ctx -> {
      if (ctx.session() != null) ctx.session().destroy();
      AdminJson.send(ctx, 200, Map.of("signed_out", true));
    });
  }

  private void signIn(RoutingContext ctx, AdminAccess access) {
    String address = ctx.request().remoteAddress().hostAddress();
    Duration wait = signIns.retryAfter(address);
    if (wait != null) {
      AdminErrors.tooMany(ctx, wait, "too_many_sign_ins", "too many failed sign-ins from " + address);
      return;
    }
    String presented = presentedToken(ctx);
    if (presented == null) {
      AdminErrors.fail(ctx, 400, "bad_request", "send {\"token\": \"edr_...\"}", "token");
      return;
    }
    AdminToken token = Tokens.find(access.tokens(), presented);
    if (token == null) {
      signIns.failed(address);
      AdminErrors.fail(ctx, 401, "invalid_token", "this token is not one of the edge's admin tokens", "token");
      return;
    }
    signIns.succeeded(address);
    Session session = ctx.session();
    session.regenerateId(); // a session id planted before the sign-in is worth nothing after it
    session.put(AdminAccess.SESSION_TOKEN, token.hash());
    session.put(AdminAccess.SESSION_CSRF, Tokens.create().substring(4));
    AdminJson.send(ctx, 200, view(token, session));
  }

  private static String presentedToken(RoutingContext ctx) {
    if (ctx.body() == null || ctx.body().length() == 0) return null;
    try {
      JsonNode root = JSON.readTree(ctx.body().buffer().getBytes());
      JsonNode token = root == null ? null : root.get("token");
      return token != null && token.isTextual() && !token.asText().isEmpty() ? token.asText() : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static SessionView view(AdminToken token, Session session) {
    return new SessionView(token.name(), token.scope().word(), session.get(AdminAccess.SESSION_CSRF));
  }
}
