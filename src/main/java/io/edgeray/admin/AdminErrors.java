package io.edgeray.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.RoutingContext;

/** The one shape of an admin API error: {@code {"error": {"code", "message", "field"}}}. */
public final class AdminErrors {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AdminErrors() {}

  /** @param field the request field or config key the error is about, or null */
  public static void fail(RoutingContext ctx, int status, String code, String message, String field) {
    if (ctx.response().ended()) return;
    ObjectNode root = JSON.createObjectNode();
    ObjectNode error = root.putObject("error").put("code", code).put("message", message);
    if (field == null) error.putNull("field"); else error.put("field", field);
    AdminJson.send(ctx, status, root);
  }

  /** 429 with Retry-After in whole seconds (at least 1) and the wait in the message. */
  static void tooMany(RoutingContext ctx, java.time.Duration wait, String code, String message) {
    long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
    ctx.response().putHeader("Retry-After", Long.toString(seconds));
    fail(ctx, 429, code, message + "; try again in " + seconds + " s", null);
  }
}
