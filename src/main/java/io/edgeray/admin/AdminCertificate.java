package io.edgeray.admin;

import io.edgeray.config.CertificateFiles;
import io.edgeray.tls.CertificateDescription;
import io.edgeray.tls.CertificateLoadException;
import io.edgeray.tls.FileStamp;
import io.edgeray.tls.Pem;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509KeyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin listener's certificate ({@code admin.tls}), read again like the visitors' ones: when
 * its files change on disk (polled) or on a reload, for the files the running config names. The
 * listener keeps listening and its open connections keep their session; new handshakes get the
 * new certificate. A pair that does not load (half written, key not matching) keeps the old one
 * in service and is logged; the same broken files are not read again until they change.
 */
final class AdminCertificate {
  private static final Logger LOG = LoggerFactory.getLogger(AdminCertificate.class);

  private final Supplier<CertificateFiles> configured;
  private CertificateFiles files;
  private FileStamp tried;
  private String problem; // why the files last tried are not in service, or null

  /** @param configured the running config's {@code admin.tls}, null when it has none */
  AdminCertificate(Supplier<CertificateFiles> configured, CertificateFiles initial) {
    this.configured = configured;
    this.files = initial;
    this.tried = FileStamp.of(initial);
  }

  /** The certificate to listen with first. */
  KeyCertOptions initial() throws CertificateLoadException {
    return keyCert(Pem.load(files));
  }

  /**
   * Reads the pair again if it changed (or the config now names other files) and hands it to the
   * listener for new handshakes. Blocking (file reads, then waits for the listener).
   *
   * @return null when the certificate in service is the one on disk, else why the old one stays
   */
  synchronized String refresh(HttpServer http) {
    CertificateFiles now = configured.get();
    if (now == null) return null; // admin.tls removed: the scheme changes only with a restart, which the reload warns about
    FileStamp stamp = FileStamp.of(now);
    if (now.equals(files) && stamp.equals(tried)) return problem;
    files = now;
    tried = stamp;
    problem = load(http, now);
    return problem;
  }

  private static String load(HttpServer http, CertificateFiles now) {
    try {
      Pem.KeyMaterial km = Pem.load(now);
      http.updateSSLOptions(new ServerSSLOptions().setKeyCertOptions(keyCert(km)), true)
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      LOG.info("admin certificate reloaded: {}", CertificateDescription.describe(km.leaf()));
      return null;
    } catch (CertificateLoadException e) {
      LOG.error("the admin certificate changed but cannot be used, keeping the previous one: {}", e.getMessage());
      return "admin.tls: " + e.getMessage();
    } catch (ExecutionException | TimeoutException e) {
      String why = e instanceof ExecutionException ? String.valueOf(e.getCause()) : "the listener did not take it within 10 s";
      LOG.error("the admin listener did not take its new certificate, keeping the previous one: {}", why);
      return "admin.tls: " + why;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "admin.tls: interrupted";
    }
  }

  /** The certificate as the tls package reads every certificate (PKCS#1, PKCS#8 and SEC1 keys alike). */
  private static KeyCertOptions keyCert(Pem.KeyMaterial material) throws CertificateLoadException {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      char[] none = new char[0];
      store.setKeyEntry("admin", material.key(), none, material.chain().toArray(new java.security.cert.Certificate[0]));
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(store, none);
      return KeyCertOptions.wrap((X509KeyManager) kmf.getKeyManagers()[0]);
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new CertificateLoadException("the admin certificate does not load: " + e.getMessage());
    }
  }
}
