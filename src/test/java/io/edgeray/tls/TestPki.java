package io.edgeray.tls;

import io.edgeray.config.CertificateFiles;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * Certificates made at run time for the TLS tests: a CA, and leaf certificates it signs (or that
 * sign themselves) with chosen names and dates, written as PEM files.
 */
final class TestPki {
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  /** A certificate with its key and the PEM files they were written to. */
  record Issued(X509Certificate cert, PrivateKey key, CertificateFiles files) {}

  enum KeyForm { PKCS8, TRADITIONAL }

  final Path dir;
  final KeyPair caKeys;
  final X509Certificate ca;
  final Path caFile;

  TestPki(Path dir) throws IOException {
    this.dir = dir;
    Files.createDirectories(dir);
    caKeys = ec();
    X500Name name = new X500Name("O=edgeray tests,CN=edgeray test CA");
    ca = build(name, name, caKeys, caKeys.getPrivate(), List.of(), List.of(),
        Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)), true);
    caFile = dir.resolve("ca.pem");
    Files.writeString(caFile, pem(ca), StandardCharsets.US_ASCII);
  }

  /** A leaf signed by the CA, valid from {@code notBefore} to {@code notAfter}. */
  Issued issue(String file, List<String> dnsNames, List<String> ips, Instant notBefore, Instant notAfter, KeyForm form) throws IOException {
    KeyPair keys = ec();
    X509Certificate cert = build(new X500Name("O=edgeray tests,CN=" + (dnsNames.isEmpty() ? file : dnsNames.get(0))),
        X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()), keys, caKeys.getPrivate(), dnsNames, ips, notBefore, notAfter, false);
    return write(file, cert, keys.getPrivate(), form);
  }

  Issued issue(String file, List<String> dnsNames) throws IOException {
    return issue(file, dnsNames, List.of(), Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)), KeyForm.PKCS8);
  }

  /** A leaf that signs itself: no CA vouches for it. */
  Issued selfSigned(String file, List<String> dnsNames) throws IOException {
    KeyPair keys = ec();
    X500Name name = new X500Name("O=self-signed,CN=" + dnsNames.get(0));
    X509Certificate cert = build(name, name, keys, keys.getPrivate(), dnsNames, List.of(),
        Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)), false);
    return write(file, cert, keys.getPrivate(), KeyForm.PKCS8);
  }

  /** A JDK client context that trusts the test CA only. */
  SSLContext clientContext() {
    try {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      ks.setCertificateEntry("ca", ca);
      TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
      tmf.init(ks);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  Issued write(String file, X509Certificate cert, PrivateKey key, KeyForm form) throws IOException {
    Path certFile = dir.resolve(file + ".crt");
    Path keyFile = dir.resolve(file + ".key");
    Files.writeString(certFile, pem(cert) + (cert.getIssuerX500Principal().equals(ca.getSubjectX500Principal()) ? pem(ca) : ""),
        StandardCharsets.US_ASCII);
    Files.writeString(keyFile, form == KeyForm.PKCS8 ? pem(new JcaPKCS8Generator(key, null)) : traditional(key), StandardCharsets.US_ASCII);
    return new Issued(cert, key, new CertificateFiles(certFile, keyFile));
  }

  /** PKCS#1 for RSA; SEC1 with the curve named inside for EC, as openssl writes them. */
  static String traditional(PrivateKey key) throws IOException {
    if (!key.getAlgorithm().equals("EC")) return pem(key);
    PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
    ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
    ECPrivateKey full = new ECPrivateKey(256, inner.getKey(), inner.getPublicKey(), info.getPrivateKeyAlgorithm().getParameters());
    StringWriter out = new StringWriter();
    try (PemWriter w = new PemWriter(out)) {
      w.writeObject(new PemObject("EC PRIVATE KEY", full.getEncoded()));
    }
    return out.toString();
  }

  static KeyPair ec() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static KeyPair rsa() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A leaf signed by the CA with a key of the caller's choosing (an RSA key, say). */
  Issued issueWith(String file, KeyPair keys, List<String> dnsNames, KeyForm form) throws IOException {
    X509Certificate cert = build(new X500Name("O=edgeray tests,CN=" + dnsNames.get(0)),
        X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()), keys, caKeys.getPrivate(), dnsNames, List.of(),
        Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)), false);
    return write(file, cert, keys.getPrivate(), form);
  }

  private static X509Certificate build(X500Name subject, X500Name issuer, KeyPair keys, PrivateKey signer,
      List<String> dnsNames, List<String> ips, Instant notBefore, Instant notAfter, boolean isCa) {
    try {
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
          Date.from(notBefore), Date.from(notAfter), subject, keys.getPublic());
      List<GeneralName> names = new ArrayList<>();
      for (String n : dnsNames) names.add(new GeneralName(GeneralName.dNSName, n));
      for (String ip : ips) names.add(new GeneralName(GeneralName.iPAddress, ip));
      if (!names.isEmpty()) {
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
      }
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
      if (isCa) b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      String alg = signer.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
      return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(alg).build(signer)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String pem(Object o) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
