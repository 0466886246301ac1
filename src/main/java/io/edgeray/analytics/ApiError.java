package io.edgeray.analytics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A refused API request, in the admin API's one error shape
 * {@code {"error":{"code","message","field"}}}; thrown by the request-reading code so that the
 * HTTP layer, whichever it is, only turns it into a status and this body.
 *
 * @param field the query parameter or body field that is wrong, or null
 */
public final class ApiError extends RuntimeException {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final int status;
  private final String code;
  private final String field;

  public ApiError(int status, String code, String message, String field) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.field = field;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public String field() {
    return field;
  }

  public String json() {
    ObjectNode root = JSON.createObjectNode();
    root.putObject("error").put("code", code).put("message", getMessage()).put("field", field);
    return root.toString();
  }
}
