package io.edgeray.failure;

/** The visitor's request head did not arrive in time: the edge answers 408. */
public final class RequestHeadTimeoutException extends Exception {
  private static final long serialVersionUID = 1L;

  public RequestHeadTimeoutException(String message) {
    super(message, null, false, false);
  }
}
