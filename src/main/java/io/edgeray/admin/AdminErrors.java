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
}
