package io.edgeray.failure;

/**
 * Where in the exchange with the origin something went wrong; the same exception means different
 * things in each. HANDSHAKE is the TLS handshake, after the TCP connection was made.
 */
public enum Stage {
  RESOLVE, CONNECT, HANDSHAKE, WRITE, READ_HEAD, READ_BODY
}
