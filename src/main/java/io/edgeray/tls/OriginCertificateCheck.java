package io.edgeray.tls;

import io.edgeray.tls.OriginCertificateException;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * The validation Full (strict) and Strict apply to an origin's certificate, for a chain obtained
 * some other way (the doctor's probe accepts any certificate so that it can describe a bad one).
 * The same {@link OriginTrustManager} the edge uses decides, so the doctor and the edge agree.
 */
public final class OriginCertificateCheck {
  private OriginCertificateCheck() {}

  /**
   * What Full (strict) would say about {@code chain} for {@code host}: empty when it is accepted.
   *
   * @param originCa the zone's extra authorities, or null
   */
  public static Optional<OriginCertificateException> problem(List<X509Certificate> chain, String host, Path originCa,
      Clock clock) throws CertificateLoadException {
    OriginTrustManager tm = OriginTrustManager.create(originCa, clock);
    try {
      // the engine only carries the host name the trust manager checks the leaf against
      tm.checkServerTrusted(chain.toArray(X509Certificate[]::new), "UNKNOWN", engineFor(host));
      return Optional.empty();
    } catch (OriginCertificateException e) {
      return Optional.of(e);
    } catch (CertificateException e) {
      throw new CertificateLoadException("the certificate could not be checked: " + e.getMessage(), e);
    }
  }

  private static SSLEngine engineFor(String host) throws CertificateLoadException {
    try {
      return SSLContext.getDefault().createSSLEngine(host, 443);
    } catch (NoSuchAlgorithmException e) {
      throw new CertificateLoadException("no default TLS context: " + e.getMessage(), e);
    }
  }
}
