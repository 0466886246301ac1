package io.edgeray.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

/** Writes an API answer: JSON, never stored by a cache or a browser. */
public final class AdminJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AdminJson() {}

  /** {@code body} is anything Jackson writes: a record, a map, a {@code JsonNode}. */
  public static void send(RoutingContext ctx, int status, Object body) {
    byte[] bytes;
    try {
      bytes = JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an admin answer that is not JSON-able: " + body.getClass(), e);
    }
    ctx.response().setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(Buffer.buffer(bytes));
  }

  /** A plain-text answer, for the routes scripts read with curl ({@code /healthz}, {@code /reload}). */
  public static void text(RoutingContext ctx, int status, String text) {
    ctx.response().setStatusCode(status)
        .putHeader("Content-Type", "text/plain; charset=UTF-8")
        .putHeader("Cache-Control", "no-store")
        .end(text);
  }
}
