package io.edgeray.testing;

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
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
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
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * Certificates made at run time for TLS tests: a CA, leaves it signs (valid, expired, for the
 * wrong host), and self-signed leaves. Keys are EC P-256: generated in milliseconds, and every TLS
 * stack the edge uses accepts them.
 */
public final class TestCerts {
  private static final SecureRandom RANDOM = new SecureRandom();

  private TestCerts() {}

  /** A certificate authority that tests can trust (or not) and that signs leaves. */
  public record Ca(KeyPair keys, X509Certificate cert) {
    /** A server certificate for {@code names} (DNS names or IP literals), signed by this CA. */
    public Leaf issue(List<String> names, Instant notBefore, Instant notAfter) {
      return signedLeaf(this, names, notBefore, notAfter);
    }

    /** Valid from an hour ago for a day. */
    public Leaf issue(String... names) {
      Instant now = Instant.now();
      return issue(List.of(names), now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)));
    }

    public Path writeCertPem(Path file) throws IOException {
      return Files.writeString(file, pem("CERTIFICATE", encoded(cert)), StandardCharsets.US_ASCII);
    }
  }

  /**
   * A server certificate and its key.
   *
   * @param chain the leaf then its issuer (just the leaf when self-signed), as a TLS server sends it
   */
  public record Leaf(KeyPair keys, X509Certificate cert, List<X509Certificate> chain) {
    public Leaf {
      chain = List.copyOf(chain);
    }

    /** Writes {@code <baseName>.crt} (the chain) and {@code <baseName>.key} (PKCS#8) into {@code dir}. */
    public PemFiles writePem(Path dir, String baseName) throws IOException {
      StringBuilder chainPem = new StringBuilder();
      for (X509Certificate c : chain) chainPem.append(pem("CERTIFICATE", encoded(c)));
      Path certFile = Files.writeString(dir.resolve(baseName + ".crt"), chainPem, StandardCharsets.US_ASCII);
      Path keyFile = Files.writeString(dir.resolve(baseName + ".key"),
          pem("PRIVATE KEY", keys.getPrivate().getEncoded()), StandardCharsets.US_ASCII);
      return new PemFiles(certFile, keyFile);
    }
  }

  /** Where {@link Leaf#writePem} put the chain and the key. */
  public record PemFiles(Path certChain, Path key) {}

  /** A new CA, valid from an hour ago for ten years. */
  public static Ca newCa(String commonName) {
    KeyPair keys = keyPair();
    X500Name subject = new X500Name("CN=" + commonName);
    Instant now = Instant.now();
    X509Certificate cert = build(subject, keys.getPublic(), subject, keys, keys.getPublic(), List.of(),
        now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(3650)), true);
    return new Ca(keys, cert);
  }

  private static Leaf signedLeaf(Ca ca, List<String> names, Instant notBefore, Instant notAfter) {
    KeyPair keys = keyPair();
    // the issuer copied byte for byte from the CA's subject, so chain building matches them exactly
    X500Name issuer = X500Name.getInstance(ca.cert().getSubjectX500Principal().getEncoded());
    X509Certificate leaf = build(new X500Name("CN=" + names.get(0)), keys.getPublic(), issuer, ca.keys(),
        ca.cert().getPublicKey(), names, notBefore, notAfter, false);
    return new Leaf(keys, leaf, List.of(leaf, ca.cert()));
  }

  /** A self-signed server certificate for {@code names}: no CA vouches for it. */
  public static Leaf selfSigned(List<String> names, Instant notBefore, Instant notAfter) {
    KeyPair keys = keyPair();
    X500Name subject = new X500Name("CN=" + names.get(0));
    X509Certificate cert = build(subject, keys.getPublic(), subject, keys, keys.getPublic(), names,
        notBefore, notAfter, false);
    return new Leaf(keys, cert, List.of(cert));
  }

  private static X509Certificate build(X500Name subject, PublicKey subjectKey, X500Name issuer, KeyPair issuerKeys,
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
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        b.addExtension(Extension.subjectAlternativeName, false, subjectAltNames(names));
      }
      return new JcaX509CertificateConverter().getCertificate(
          b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException("could not make a test certificate for " + subject, e);
    }
  }

  private static GeneralNames subjectAltNames(List<String> names) throws IOException {
    List<GeneralName> all = new ArrayList<>();
    for (String n : names) {
      boolean ip = n.matches("[0-9.]+") || n.contains(":");
      // an IP literal is parsed, never looked up
      all.add(ip ? new GeneralName(GeneralName.iPAddress, InetAddress.getByName(n).getHostAddress())
          : new GeneralName(GeneralName.dNSName, n));
    }
    return new GeneralNames(all.toArray(GeneralName[]::new));
  }

  private static KeyPair keyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] encoded(X509Certificate c) {
    try {
      return c.getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(String type, byte[] der) {
    StringWriter s = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(s)) {
      w.writeObject(new PemObject(type, der));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return s.toString();
  }
}
