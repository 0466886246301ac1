package io.edgeray.security;

/**
 * A rule expression that does not compile. The message is CEL's first error with its place in the
 * expression: {@code column 12: undeclared reference to 'http.hots'} (line too when the expression
 * spans several lines).
 *
 * @see RuleExpressions#compile(String)
 */
public final class InvalidExpressionException extends Exception {
  private final int line;
  private final int column;

  InvalidExpressionException(int line, int column, String message) {
    super((line > 1 ? "line " + line + ", " : "") + "column " + column + ": " + message);
    this.line = line;
    this.column = column;
  }

  /** The line within the expression, from 1. */
  public int line() {
    return line;
  }

  /** The column within that line, from 1. */
  public int column() {
    return column;
  }
}
