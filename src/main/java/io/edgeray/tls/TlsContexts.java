package io.edgeray.tls;

import io.edgeray.config.CertificateFiles;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslCachingX509KeyManagerFactory;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds the TLS contexts of both legs. TLS 1.2 and 1.3 only; BoringSSL (netty-tcnative) when its
 * native library loads and supports ALPN, the JDK's TLS otherwise. {@code -Dedgeray.tls.provider=jdk}
 * forces the JDK.
 */
public final class TlsContexts {
  static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
  private static final ApplicationProtocolConfig ALPN = new ApplicationProtocolConfig(
      ApplicationProtocolConfig.Protocol.ALPN,
      ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
      ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
      ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1);

  private TlsContexts() {}

  public static SslProvider provider() {
    if ("jdk".equalsIgnoreCase(System.getProperty("edgeray.tls.provider", ""))) return SslProvider.JDK;
    return OpenSsl.isAvailable() && SslProvider.isAlpnSupported(SslProvider.OPENSSL) ? SslProvider.OPENSSL : SslProvider.JDK;
  }

  /** "BoringSSL ..." or "JDK", for the startup log line. */
  public static String providerName() {
    return provider() == SslProvider.OPENSSL ? OpenSsl.versionString() : "JDK " + Runtime.version();
  }

  /**
   * What each check built, by files: the certificate store takes it rather than build the same
   * context again right after the config loader's check (a tenth of a second per certificate at
   * start). One entry per pair of files, replaced by the next check of them.
   */
  private static final Map<CertificateFiles, Checked> CHECKED = new ConcurrentHashMap<>();

  /** The key material and context a check built from files as they were at {@code stamp}. */
  record Checked(FileStamp stamp, Pem.KeyMaterial material, SslContext context) {}

  /** Loads a certificate and key and builds the context the HTTPS listener would use, or says why it cannot. */
  public static void check(CertificateFiles files) throws CertificateLoadException {
    FileStamp stamp = FileStamp.of(files);
    Pem.KeyMaterial km = Pem.load(files);
    try {
      CHECKED.put(files, new Checked(stamp, km, server(km)));
    } catch (SSLException | RuntimeException e) {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) root = root.getCause();
      throw new CertificateLoadException(files.cert() + ": cannot be used for TLS: " + e.getMessage()
          + (root != e ? " (" + root.getMessage() + "; is the chain in order, leaf first?)" : ""), e);
    }
  }

  /** What the last check of {@code files} built, if they are unchanged since ({@code stamp}); taken once. */
  static Checked takeChecked(CertificateFiles files, FileStamp stamp) {
    Checked c = CHECKED.remove(files);
    return c != null && c.stamp().equals(stamp) ? c : null;
  }

  /** The visitor-facing context of one certificate: ALPN h2 and http/1.1, HTTP/2's cipher list. */
  static SslContext server(Pem.KeyMaterial km) throws SSLException {
    SslProvider provider = provider();
    KeyManagerFactory keys = keyManagers(km);
    return SslContextBuilder.forServer(provider == SslProvider.OPENSSL ? new OpenSslCachingX509KeyManagerFactory(keys) : keys)
        .sslProvider(provider)
        .protocols(PROTOCOLS)
        .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
        .applicationProtocolConfig(ALPN)
        .trustManager(NO_CLIENT_CERTIFICATES)
        .build();
  }

  /**
   * The visitor contexts ask no visitor for a certificate, so they trust no authority. Without a
   * trust manager of its own, Netty's server context loads the JDK's whole trust store (some 140
   * certificates, parsed on the main thread and then compiled for) for each certificate at start.
   */
  private static final TrustManagerFactory NO_CLIENT_CERTIFICATES = trustingNone();

  private static TrustManagerFactory trustingNone() {
    try {
      KeyStore none = KeyStore.getInstance("JKS");
      none.load(null, null);
      TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      f.init(none);
      return f;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot make an empty trust store: " + e.getMessage(), e);
    }
  }

  /**
   * The certificate's key managers, from a key store that never leaves memory, for either
   * provider. For BoringSSL they are wrapped in Netty's caching factory: given the key and chain
   * as they are, Netty's context encodes both to PEM and BoringSSL parses them again at every
   * handshake (in the certificate callback, on the event loop); cached, that is done once per
   * context. The store is JKS because a PKCS#12 one (the JDK's default) first protects the key
   * with 10,000 rounds of PBKDF2, a tenth of a second per certificate at start.
   */
  private static KeyManagerFactory keyManagers(Pem.KeyMaterial km) throws SSLException {
    try {
      char[] password = new char[0];
      KeyStore store = KeyStore.getInstance("JKS");
      store.load(null, null);
      store.setKeyEntry("edgeray", km.key(), password, km.chain().toArray(new X509Certificate[0]));
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(store, password);
      return kmf;
    } catch (GeneralSecurityException | IOException e) {
      throw new SSLException("cannot hold the key and certificate in memory: " + e.getMessage(), e);
    }
  }

  /**
   * A context for origin connections.
   *
   * @param trust the validating trust manager, or null for Full mode: any certificate is accepted
   */
  public static SslContext originClient(TrustManager trust) throws SSLException {
    SslContextBuilder b = SslContextBuilder.forClient()
        .sslProvider(provider())
        .protocols(PROTOCOLS)
        // host names are checked by OriginTrustManager, the same way for both providers
        .endpointIdentificationAlgorithm(null);
    b.trustManager(trust != null ? trust : InsecureTrustManagerFactory.INSTANCE.getTrustManagers()[0]);
    return b.build();
  }
}
