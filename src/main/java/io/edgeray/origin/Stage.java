package io.edgeray.origin;

/** Where in the exchange with the origin something went wrong; the same exception means different things in each. */
public enum Stage {
  RESOLVE, CONNECT, WRITE, READ_HEAD, READ_BODY
}
