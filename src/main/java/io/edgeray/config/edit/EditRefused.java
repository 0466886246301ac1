package io.edgeray.config.edit;

/**
 * A config change that was not made, with the API's answer: the HTTP status, a stable code, the
 * message for a person and, for an invalid value, the config key path it is about
 * ({@code zones[0].records[2].content}). Nothing was written and the running config is the old one.
 */
public final class EditRefused extends Exception {
  private final int status;
  private final String code;
  private final String field;

  public EditRefused(int status, String code, String message, String field) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }

  static EditRefused notFound(String code, String message) {
    return new EditRefused(404, code, message, null);
  }

  static EditRefused invalid(String field, String message) {
    return new EditRefused(422, "invalid_value", message, field);
  }

  static EditRefused conflict(String code, String message) {
    return new EditRefused(409, code, message, null);
  }

  public int status() { return status; }
  public String code() { return code; }
  /** The config key path, or null when the refusal is about no one value. */
  public String field() { return field; }
}
