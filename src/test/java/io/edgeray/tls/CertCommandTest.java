package io.edgeray.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeray.cli.Main;
import io.edgeray.config.CertificateFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertCommandTest {
  @TempDir Path dir;

  @Test
  void selfSignedWritesACertificateTheEdgeCanServe() throws Exception {
    assertThat(Main.run("cert", "self-signed", "Dev.Example", "--out", dir.toString(), "--days", "7")).isZero();

    CertificateFiles files = new CertificateFiles(dir.resolve("dev.example.crt"), dir.resolve("dev.example.key"));
    assertThat(Files.readString(files.key())).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.key()))).isEqualTo("rw-------");
    Pem.KeyMaterial km = Pem.load(files);
    X509Certificate leaf = km.leaf();
    assertThat(CertificateDescription.dnsNames(leaf)).containsExactly("dev.example", "*.dev.example");
    assertThat(leaf.getNotAfter().getTime() - System.currentTimeMillis()).isBetween(6 * 86_400_000L, 8 * 86_400_000L);
    TlsContexts.check(files);
  }

  @Test
  void aNameThatIsNotAHostNameIsRefused() {
    assertThat(Main.run("cert", "self-signed", "not a name", "--out", dir.toString())).isEqualTo(2);
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void anExistingKeyIsKeptUnlessForceIsGiven() throws Exception {
    assertThat(Main.run("cert", "self-signed", "dev.example", "--out", dir.toString())).isZero();
    String key = Files.readString(dir.resolve("dev.example.key"));
    io.edgeray.testing.CliRun again = io.edgeray.testing.CliRun.of("cert", "self-signed", "dev.example", "--out", dir.toString());
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err().trim()).isEqualTo("edgeray cert: " + dir.resolve("dev.example.key")
        + " already exists; nothing was written (a key in use would be lost). Use --force to replace it.");
    assertThat(Files.readString(dir.resolve("dev.example.key"))).isEqualTo(key);

    assertThat(Main.run("cert", "self-signed", "dev.example", "--out", dir.toString(), "--force")).isZero();
    assertThat(Files.readString(dir.resolve("dev.example.key"))).isNotEqualTo(key);
  }
}
