package io.edgeray.config.edit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a config route answers, whatever HTTP layer carries it: a status and a JSON body, errors
 * shaped as the API contract says ({@code {"error": {"code", "message", "field"}}}).
 *
 * @param change the change made or refused as invalid, in words for the audit log; null for a read
 *     and for a request that never got as far as a change (unknown zone, malformed JSON)
 */
public record ApiAnswer(int status, JsonNode body, String change) {
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
}
