package io.edgeray.analytics;

/**
 * A refused API request, in the admin API's one error shape
 * {@code {"error":{"code","message","field"}}}; thrown by the request-reading code so that the
 * HTTP layer only turns it into a status and that body ({@code admin.AdminErrors}).
 *
 * The field is the query parameter or body field that is wrong, or null.
 */
public final class ApiError extends RuntimeException {
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

}
