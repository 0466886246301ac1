package io.edgeray.cli;

import io.edgeray.tls.CertificateDescription;
import io.edgeray.tls.CertificateLoadException;
import io.edgeray.tls.Pem;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * What a command trusts when the admin listener speaks HTTPS (admin.tls): by default exactly the
 * certificate the config names for it, so a self-signed admin certificate for any name works on
 * the host that holds the config; with {@code --cacert}, the certificates of that PEM file as
 * authorities, checked as curl does (chain, dates, and the name or address the command connects to).
 */
final class AdminTrust {
  private AdminTrust() {}

  /** Trusts the CA (or certificate) in {@code cacert} for a certificate valid for the host connected to. */
  static SSLContext authorities(Path cacert) throws CertificateLoadException {
    List<X509Certificate> cas = Pem.certificates(cacert);
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      for (int i = 0; i < cas.size(); i++) store.setCertificateEntry("ca-" + i, cas.get(i));
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      return context(tmf.getTrustManagers());
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new CertificateLoadException(cacert + ": cannot trust these certificates: " + e.getMessage(), e);
    }
  }

  /**
   * Trusts exactly the leaf certificate of the admin's own certificate file: the edge's own
   * identity, read from its own config, so neither a CA nor the name in it matters.
   */
  static SSLContext pinned(Path adminCert) throws CertificateLoadException {
    X509Certificate pinned = Pem.certificates(adminCert).get(0);
    return context(new TrustManager[] {new Pinned(pinned, adminCert)});
  }

  private static SSLContext context(TrustManager[] trust) throws CertificateLoadException {
    try {
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(null, trust, null);
      return tls;
    } catch (GeneralSecurityException e) {
      throw new CertificateLoadException("no TLS context: " + e.getMessage(), e);
    }
  }

  /** Extended, so the JDK adds no host name check of its own around it: the pin is the check. */
  private static final class Pinned extends X509ExtendedTrustManager {
    private final X509Certificate pinned;
    private final Path file;

    Pinned(X509Certificate pinned, Path file) {
      this.pinned = pinned;
      this.file = file;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      if (chain == null || chain.length == 0 || !chain[0].equals(pinned)) {
        String shown = chain == null || chain.length == 0 ? "none" : CertificateDescription.subject(chain[0]);
        throw new CertificateException("the admin listener showed a certificate (" + shown + ") that is not the one in "
            + file + " (" + CertificateDescription.subject(pinned) + ")");
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
      checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
      checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      throw new CertificateException("a command checks servers, not clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
      checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
      checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
