package io.edgeray.admin;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** What an admin endpoint answers; {@code headers} are extra response headers such as an ETag. */
public record AdminResponse(int status, String contentType, byte[] body, Map<String, String> headers) {
  public AdminResponse {
    headers = Map.copyOf(headers);
  }

  public static AdminResponse text(int status, String text) {
    return new AdminResponse(status, "text/plain; charset=UTF-8", text.getBytes(StandardCharsets.UTF_8), Map.of());
  }

  public static AdminResponse json(int status, String json) {
    return new AdminResponse(status, "application/json", json.getBytes(StandardCharsets.UTF_8), Map.of());
  }

  /** The API's JSON error {@code {"error":{code, message, field}}} with its status. */
  public static AdminResponse error(io.edgeray.analytics.ApiError e) {
    return json(e.status(), e.json());
  }

  public AdminResponse withHeader(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new AdminResponse(status, contentType, body, more);
  }
}
