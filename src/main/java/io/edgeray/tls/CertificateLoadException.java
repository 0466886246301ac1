package io.edgeray.tls;

/** A certificate or key file that cannot be used; the message says which file and why. */
public final class CertificateLoadException extends Exception {
  public CertificateLoadException(String message) {
    super(message);
  }

  public CertificateLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
