package io.edgeray.failure;

/**
 * What a trust manager throws when it refuses an origin's certificate (526): the log message
 * names addresses and details, {@link #publicMessage()} is safe for the error page. The TLS code
 * implements it; the classifier needs only this much to recognise one.
 */
public interface CertificateRejection {
  String getMessage();

  String publicMessage();
}
