package io.edgeray.testing;

import io.edgeray.config.CertificateFiles;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * The test PKI: a CA made at run time, and the server certificates a TLS test needs from it (valid,
 * expired, not yet valid, for the wrong host) or without it (self-signed), each written as PEM
 * files in the PKI's directory. Keys are EC P-256 unless asked otherwise: made in milliseconds,
 * and every TLS stack the edge uses accepts them.
 *
 * <pre>{@code
 * TestPki pki = new TestPki(dir);
 * TestPki.Leaf shop = pki.issue("shop.test");                  // valid for a day either side
 * TestPki.Leaf old = pki.expired("shop.test");
 * TestPki.Leaf rsa = pki.leaf("a.test").rsa().keyForm(KeyForm.TRADITIONAL).issue();
 * }</pre>
 */
public final class TestPki {
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Host names a {@link #wrongHost()} certificate is for: never the host a test asks for. */
  public static final String WRONG_HOST = "wrong-host.invalid";

  /** How the private key is written: PKCS#8, or the traditional form (PKCS#1 for RSA, SEC1 for EC) as openssl writes it. */
  public enum KeyForm { PKCS8, TRADITIONAL }

  private final Path dir;
  private final KeyPair caKeys;
  private final X509Certificate ca;
  private final Path caFile;
  private final AtomicInteger files = new AtomicInteger();

  /** A new CA called "edgeray test CA", valid from a day ago for ten years, its certificate in {@code dir/ca.pem}. */
  public TestPki(Path dir) {
    this(dir, "edgeray test CA");
  }

  public TestPki(Path dir, String caName) {
    try {
      this.dir = Files.createDirectories(dir);
      caKeys = ec();
      X500Name name = new X500Name("CN=" + caName);
      Instant now = Instant.now();
      ca = build(name, caKeys.getPublic(), name, caKeys.getPrivate(), caKeys.getPublic(), List.of(),
          now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(3650)), true);
      caFile = Files.writeString(dir.resolve("ca.pem"), pem(ca), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The CA certificate. */
  public X509Certificate ca() {
    return ca;
  }

  /** The CA certificate as a PEM file (what an edge's {@code origin_ca} names). */
  public Path caFile() {
    return caFile;
  }

  /**
   * A server certificate with its key, the chain a server sends (leaf, then the CA unless
   * self-signed) and the PEM files written for them.
   */
  public record Leaf(X509Certificate cert, PrivateKey key, List<X509Certificate> chain, CertificateFiles files) {
    public Leaf {
      chain = List.copyOf(chain);
    }

    /** A Netty server context showing this certificate (the JDK provider, or the default one). */
    public SslContext nettyServer() {
      try {
        return SslContextBuilder.forServer(key, chain.toArray(X509Certificate[]::new)).build();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** A JDK server context showing this certificate. */
    public SSLContext jdkServer() {
      try {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("leaf", key, new char[0], chain.toArray(Certificate[]::new));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        return tls;
      } catch (GeneralSecurityException | IOException e) {
        throw new IllegalStateException(e);
      }
    }

    /** The edge's YAML for a zone's visitor certificate: {@code certificate: { cert: ..., key: ... }}. */
    public String yaml() {
      return "certificate: { cert: " + files.cert() + ", key: " + files.key() + " }";
    }
  }

  /** A leaf to be made: names (DNS names or IP literals), validity, key and how it is signed. */
  public final class Spec {
    private final List<String> names;
    private String file;
    private Instant notBefore = Instant.now().minus(Duration.ofDays(1));
    private Instant notAfter = Instant.now().plus(Duration.ofDays(30));
    private KeyPair keys;
    private KeyForm form = KeyForm.PKCS8;
    private boolean selfSigned;

    private Spec(List<String> names) {
      if (names.isEmpty()) throw new IllegalArgumentException("a leaf needs at least one name");
      this.names = List.copyOf(names);
    }

    /** The base name of the PEM files ({@code dir/<file>.crt}, {@code .key}); unique per PKI by default. */
    public Spec file(String name) {
      this.file = name;
      return this;
    }

    public Spec valid(Instant from, Instant to) {
      this.notBefore = from;
      this.notAfter = to;
      return this;
    }

    /** A 2048-bit RSA key instead of EC P-256. */
    public Spec rsa() {
      try {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        this.keys = g.generateKeyPair();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
      return this;
    }

    public Spec keyForm(KeyForm form) {
      this.form = form;
      return this;
    }

    /** Signed by its own key: no CA vouches for it. */
    public Spec selfSigned() {
      this.selfSigned = true;
      return this;
    }

    public Leaf issue() {
      KeyPair k = keys != null ? keys : ec();
      X500Name subject = new X500Name("CN=" + names.stream().filter(n -> !isIp(n)).findFirst().orElse(names.get(0)));
      X509Certificate cert = selfSigned
          ? build(subject, k.getPublic(), subject, k.getPrivate(), k.getPublic(), names, notBefore, notAfter, false)
          // the issuer copied byte for byte from the CA's subject, so chain building matches them exactly
          : build(subject, k.getPublic(), X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()),
              caKeys.getPrivate(), caKeys.getPublic(), names, notBefore, notAfter, false);
      List<X509Certificate> chain = selfSigned ? List.of(cert) : List.of(cert, ca);
      String base = file != null ? file : files.incrementAndGet() + "-" + names.get(0).replaceAll("[^A-Za-z0-9.-]", "_");
      try {
        StringBuilder chainPem = new StringBuilder();
        for (X509Certificate c : chain) chainPem.append(pem(c));
        Path certFile = Files.writeString(dir.resolve(base + ".crt"), chainPem, StandardCharsets.US_ASCII);
        Path keyFile = Files.writeString(dir.resolve(base + ".key"),
            form == KeyForm.PKCS8 ? pemObject("PRIVATE KEY", k.getPrivate().getEncoded()) : traditional(k.getPrivate()),
            StandardCharsets.US_ASCII);
        return new Leaf(cert, k.getPrivate(), chain, new CertificateFiles(certFile, keyFile));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** A leaf to shape before {@link Spec#issue()}. */
  public Spec leaf(String... names) {
    return new Spec(List.of(names));
  }

  public Spec leaf(List<String> names) {
    return new Spec(names);
  }

  /** Signed by the CA, valid from a day ago for 30 days. */
  public Leaf issue(String... names) {
    return leaf(names).issue();
  }

  public Leaf issue(List<String> names) {
    return leaf(names).issue();
  }

  /** Signed by the CA, expired a day ago. */
  public Leaf expired(String... names) {
    Instant now = Instant.now();
    return leaf(names).valid(now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1))).issue();
  }

  /** Signed by the CA, valid only from tomorrow. */
  public Leaf notYetValid(String... names) {
    Instant now = Instant.now();
    return leaf(names).valid(now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(30))).issue();
  }

  /** Valid dates, signed by nobody but itself. */
  public Leaf selfSigned(String... names) {
    return leaf(names).selfSigned().issue();
  }

  /** Signed by the CA and valid, but for {@link #WRONG_HOST} and the IP 127.0.0.1 only. */
  public Leaf wrongHost() {
    return issue(WRONG_HOST, "127.0.0.1");
  }

  /** A JDK client context that trusts this CA only. */
  public SSLContext clientContext() {
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

  private static boolean isIp(String n) {
    return n.matches("[0-9.]+") || n.contains(":");
  }

  private static X509Certificate build(X500Name subject, PublicKey subjectKey, X500Name issuer, PrivateKey signer,
      PublicKey issuerPublicKey, List<String> names, Instant notBefore, Instant notAfter, boolean isCa) {
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, RANDOM).add(BigInteger.ONE),
          Date.from(notBefore), Date.from(notAfter), subject, subjectKey);
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
      b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(subjectKey));
      b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuerPublicKey));
      if (isCa) {
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      } else {
        boolean rsa = subjectKey.getAlgorithm().equals("RSA");
        b.addExtension(Extension.keyUsage, true,
            new KeyUsage(rsa ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment : KeyUsage.digitalSignature));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        List<GeneralName> sans = new ArrayList<>();
        for (String n : names) {
          // an IP literal is parsed, never looked up
          sans.add(isIp(n) ? new GeneralName(GeneralName.iPAddress, InetAddress.getByName(n).getHostAddress())
              : new GeneralName(GeneralName.dNSName, n));
        }
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(GeneralName[]::new)));
      }
      String alg = signer.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
      return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(alg).build(signer)));
    } catch (Exception e) {
      throw new IllegalStateException("could not make a test certificate for " + subject, e);
    }
  }

  private static KeyPair ec() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** PKCS#1 for RSA; SEC1 with the curve named inside for EC, as openssl writes them. */
  private static String traditional(PrivateKey key) throws IOException {
    if (!key.getAlgorithm().equals("EC")) {
      StringWriter out = new StringWriter();
      try (JcaPEMWriter w = new JcaPEMWriter(out)) {
        w.writeObject(key);
      }
      return out.toString();
    }
    PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
    ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
    ECPrivateKey full = new ECPrivateKey(256, inner.getKey(), inner.getPublicKey(), info.getPrivateKeyAlgorithm().getParameters());
    return pemObject("EC PRIVATE KEY", full.getEncoded());
  }

  private static String pem(X509Certificate c) {
    try {
      return pemObject("CERTIFICATE", c.getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pemObject(String type, byte[] der) {
    StringWriter s = new StringWriter();
    try (PemWriter w = new PemWriter(s)) {
      w.writeObject(new PemObject(type, der));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return s.toString();
  }
}
