package io.edgeray.tls;

import io.edgeray.tls.OriginCertificateException;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Validates an origin's certificate for Full (strict) and Strict: a PKIX path to the JDK's trust
 * store or the zone's {@code origin_ca}, every certificate within its dates, and the host name
 * among the leaf's DNS subject alternative names. A refusal is an {@link OriginCertificateException}
 * that says which check failed. The host-name check is done here rather than by the TLS engine so
 * that it behaves the same with OpenSSL and with the JDK.
 */
final class OriginTrustManager extends X509ExtendedTrustManager {
  private final X509TrustManager pkix;
  private final Clock clock;

  private OriginTrustManager(X509TrustManager pkix, Clock clock) {
    this.pkix = pkix;
    this.clock = clock;
  }

  /** Trusts the JDK's default authorities plus every certificate in {@code originCa} (may be null). */
  static OriginTrustManager create(Path originCa, Clock clock) throws CertificateLoadException {
    try {
      KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
      anchors.load(null, null);
      int n = 0;
      for (X509Certificate c : x509(TrustManagerFactory.getDefaultAlgorithm(), null).getAcceptedIssuers()) {
        anchors.setCertificateEntry("jdk-" + n++, c);
      }
      if (originCa != null) {
        for (X509Certificate c : Pem.certificates(originCa)) anchors.setCertificateEntry("origin-ca-" + n++, c);
      }
      return new OriginTrustManager(x509("PKIX", anchors), clock);
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new CertificateLoadException("cannot build the origin trust store: " + e.getMessage(), e);
    }
  }

  private static X509TrustManager x509(String algorithm, KeyStore anchors) throws GeneralSecurityException {
    TrustManagerFactory f = TrustManagerFactory.getInstance(algorithm);
    f.init(anchors);
    for (TrustManager tm : f.getTrustManagers()) {
      if (tm instanceof X509TrustManager x) return x;
    }
    throw new GeneralSecurityException("no X.509 trust manager from " + algorithm);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    check(chain, authType, engine == null ? null : engine.getPeerHost());
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    String host = socket instanceof SSLSocket s && s.getHandshakeSession() != null ? s.getHandshakeSession().getPeerHost() : null;
    check(chain, authType, host);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    check(chain, authType, null);
  }

  private void check(X509Certificate[] chain, String authType, String host) throws CertificateException {
    if (chain == null || chain.length == 0) throw new CertificateException("the origin sent no certificate");
    CertificateException failure = null;
    try {
      pkix.checkServerTrusted(chain, authType);
    } catch (CertificateException e) {
      failure = e;
    }
    if (failure != null || host != null && !CertificateDescription.covers(CertificateDescription.dnsNames(chain[0]), host)) {
      throw OriginCertificateException.diagnose(chain, host, failure, clock.instant());
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    throw new CertificateException("the edge does not accept client certificates on origin connections");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    throw new CertificateException("the edge does not accept client certificates on origin connections");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException("the edge does not accept client certificates on origin connections");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return pkix.getAcceptedIssuers();
  }
}
