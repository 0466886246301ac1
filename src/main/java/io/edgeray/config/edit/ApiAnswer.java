package io.edgeray.config.edit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What a config route answers, whatever HTTP layer carries it: a status and a JSON body, errors
 * shaped as the API contract says ({@code {"error": {"code", "message", "field"}}}).
 *
 * @param change the change made or refused as invalid, in words for the audit log; null for a read
 *     and for a request that never got as far as a change (unknown zone, malformed JSON)
 * @param later for a change not yet in service on this node (a fleet node's change on its way back
 *     from etcd), the answer to send once it is, which may be a refusal instead; null when this is the answer
 */
public record ApiAnswer(int status, JsonNode body, String change, CompletionStage<ApiAnswer> later) {
  public ApiAnswer(int status, JsonNode body, String change) {
    this(status, body, change, null);
  }

  static ApiAnswer ok(JsonNode body) {
    return new ApiAnswer(200, body, null);
  }

  static ApiAnswer error(int status, String code, String message, String field) {
    ObjectNode error = JsonNodeFactory.instance.objectNode();
    error.put("code", code).put("message", message);
    if (field == null) error.putNull("field"); else error.put("field", field);
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.set("error", error);
    return new ApiAnswer(status, body, null);
  }

  static ApiAnswer of(EditRefused refused) {
    return error(refused.status(), refused.code(), refused.getMessage(), refused.field());
  }

  /** Whether the audit log records this answer: a change made, or one refused for its values. */
  public boolean audited() {
    return change != null;
  }

  ApiAnswer withChange(String what) {
    return new ApiAnswer(status, body, what);
  }

  /** The answer to send: this one, or the one it becomes once its change is in service here. */
  public CompletionStage<ApiAnswer> settled() {
    return later != null ? later : CompletableFuture.completedFuture(this);
  }

  /**
   * This answer once {@code live} completes: unchanged when the change went into service, the
   * {@link EditRefused} it failed with otherwise (still audited as this change: it was stored).
   */
  ApiAnswer after(CompletionStage<Void> live) {
    CompletableFuture<Void> f = live.toCompletableFuture();
    if (f.isDone() && !f.isCompletedExceptionally()) return this;
    ApiAnswer settled = new ApiAnswer(status, body, change);
    return new ApiAnswer(status, body, change, f.handle((ok, failed) -> {
      Throwable cause = failed instanceof java.util.concurrent.CompletionException && failed.getCause() != null
          ? failed.getCause() : failed;
      if (cause == null) return settled;
      if (cause instanceof EditRefused refused) return of(refused).withChange(change);
      throw new java.util.concurrent.CompletionException(cause);
    }));
  }
}
