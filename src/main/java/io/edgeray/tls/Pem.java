package io.edgeray.tls;

import io.edgeray.config.CertificateFiles;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads PEM files: certificate chains, and private keys in PKCS#8 ({@code BEGIN PRIVATE KEY}),
 * PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) or SEC1 ({@code BEGIN EC PRIVATE KEY}) form. BouncyCastle
 * parses; the keys and certificates are the JDK's own types.
 */
public final class Pem {
  /** A certificate chain (leaf first) with the private key of the leaf. */
  public record KeyMaterial(List<X509Certificate> chain, PrivateKey key) {
    public X509Certificate leaf() {
      return chain.get(0);
    }
  }

  private Pem() {}

  /** Reads the chain and key and checks that they belong together. */
  public static KeyMaterial load(CertificateFiles files) throws CertificateLoadException {
    List<X509Certificate> chain = certificates(files.cert());
    PrivateKey key = privateKey(files.key());
    if (!matches(chain.get(0), key)) {
      throw new CertificateLoadException(files.key() + ": this key does not belong to the certificate in " + files.cert()
          + " (" + CertificateDescription.subject(chain.get(0)) + ")");
    }
    return new KeyMaterial(List.copyOf(chain), key);
  }

  /** Every certificate in a PEM file, in file order; at least one. */
  public static List<X509Certificate> certificates(Path file) throws CertificateLoadException {
    List<X509Certificate> out = new ArrayList<>();
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser pem = new PEMParser(r)) {
      for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
        if (o instanceof X509CertificateHolder h) out.add(converter.getCertificate(h));
      }
    } catch (NoSuchFileException e) {
      throw new CertificateLoadException(file + ": no such file");
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw new CertificateLoadException(file + ": not a readable PEM certificate file: " + e.getMessage(), e);
    }
    if (out.isEmpty()) throw new CertificateLoadException(file + ": no \"BEGIN CERTIFICATE\" block in the file");
    return out;
  }

  public static PrivateKey privateKey(Path file) throws CertificateLoadException {
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser pem = new PEMParser(r)) {
      for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
        if (o instanceof PrivateKeyInfo info) return converter.getPrivateKey(info);
        if (o instanceof PEMKeyPair pair) return converter.getPrivateKey(pair.getPrivateKeyInfo()); // the public half may be absent
        if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
          throw new CertificateLoadException(file + ": the key is encrypted; write it without a passphrase "
              + "(openssl pkey -in KEY -out KEY.plain) and keep the file readable only by the edge");
        }
        if (o instanceof ASN1ObjectIdentifier) continue; // "EC PARAMETERS" before "EC PRIVATE KEY"
      }
    } catch (NoSuchFileException e) {
      throw new CertificateLoadException(file + ": no such file");
    } catch (IOException | RuntimeException e) {
      throw new CertificateLoadException(file + ": not a readable PEM key file: " + e.getMessage(), e);
    }
    throw new CertificateLoadException(file + ": no private key in the file (expected BEGIN PRIVATE KEY, "
        + "BEGIN RSA PRIVATE KEY or BEGIN EC PRIVATE KEY)");
  }

  /** Whether {@code key} is the private half of the certificate's public key: sign a probe and verify it. */
  static boolean matches(X509Certificate cert, PrivateKey key) {
    String alg = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      case "Ed25519", "EdDSA" -> "Ed25519";
      default -> null;
    };
    if (!cert.getPublicKey().getAlgorithm().equals(key.getAlgorithm())) return false;
    if (alg == null) return true; // a key type we cannot probe: the handshake will tell
    try {
      byte[] probe = "edgeray key check".getBytes(StandardCharsets.US_ASCII);
      Signature s = Signature.getInstance(alg);
      s.initSign(key);
      s.update(probe);
      byte[] sig = s.sign();
      Signature v = Signature.getInstance(alg);
      v.initVerify(cert.getPublicKey());
      v.update(probe);
      return v.verify(sig);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
