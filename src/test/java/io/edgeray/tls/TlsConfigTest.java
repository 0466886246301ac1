package io.edgeray.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeray.config.CertificateFiles;
import io.edgeray.config.ConfigException;
import io.edgeray.config.EdgeConfig;
import io.edgeray.config.HostPort;
import io.edgeray.config.SslMode;
import io.edgeray.config.ZoneTls;
import io.edgeray.config.load.ConfigLoader;
import io.edgeray.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TLS keys of the config: listen.https, ssl, always_use_https, certificate, origin_ca; every mistake names its line. */
class TlsConfigTest {
  @TempDir static Path dir;
  static TestPki pki;
  static TestPki.Leaf shop;
  static TestPki.Leaf other;

  @BeforeAll
  static void certificates() throws Exception {
    pki = new TestPki(dir);
    shop = pki.leaf("shop.example").file("shop").issue();
    other = pki.leaf("other.example").file("other").issue();
  }

  static EdgeConfig parse(String zoneSettings) throws ConfigException {
    return ConfigLoader.parse(dir.resolve("edge.yaml").toString(), """
        node: AMS
        listen: { http: 127.0.0.1:8080, https: 127.0.0.1:8443 }
        zones:
          - name: shop.example
        """ + zoneSettings.lines().map(l -> "    " + l + "\n").reduce("", String::concat));
  }

  @Test
  void aZoneWithoutTlsSettingsIsFullWithNoCertificate() throws Exception {
    EdgeConfig c = parse("");
    assertThat(c.httpsListen()).isEqualTo(new HostPort("127.0.0.1", 8443));
    assertThat(c.zones().get(0).tls()).isEqualTo(new ZoneTls(SslMode.FULL, false, null, null));
  }

  @Test
  void everyModeIsReadByItsConfigName() throws Exception {
    for (SslMode m : SslMode.values()) {
      assertThat(parse("ssl: " + m.configName()).zones().get(0).tls().ssl()).isEqualTo(m);
    }
    assertThat(parse("ssl: off").zones().get(0).tls().ssl()).as("YAML's boolean off is the mode off").isEqualTo(SslMode.OFF);
  }

  @Test
  void certificateAndOriginCaAreReadRelativeToTheConfigFile() throws Exception {
    EdgeConfig c = parse("ssl: strict\nalways_use_https: true\ncertificate: { cert: shop.crt, key: shop.key }\norigin_ca: ca.pem");
    ZoneTls tls = c.zones().get(0).tls();
    assertThat(tls.certificate()).isEqualTo(new CertificateFiles(dir.resolve("shop.crt"), dir.resolve("shop.key")));
    assertThat(tls.originCa()).isEqualTo(dir.resolve("ca.pem"));
    assertThat(tls.alwaysUseHttps()).isTrue();
  }

  @Test
  void withoutAnHttpsListenerHttpsIsOff() throws Exception {
    EdgeConfig c = ConfigLoader.parse("edge.yaml", "node: AMS\nlisten: { http: 127.0.0.1:8080 }\nzones: []\n");
    assertThat(c.httpsListen()).isNull();
  }

  @Test
  void anUnknownModeNamesItsLine() {
    assertThatThrownBy(() -> parse("ssl: fullstrict")).isInstanceOf(ConfigException.class)
        .hasMessageEndingWith("edge.yaml:5: zones[0].ssl: \"fullstrict\" is not an SSL mode (off, flexible, full, full_strict or strict)");
  }

  @Test
  void alwaysUseHttpsContradictsModeOff() {
    assertThatThrownBy(() -> parse("ssl: off\nalways_use_https: true")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("edge.yaml:6: zones[0].always_use_https: cannot be true with ssl: off");
  }

  @Test
  void aMissingCertificateFileNamesTheCertLine() {
    assertThatThrownBy(() -> parse("certificate:\n  cert: missing.crt\n  key: shop.key")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("edge.yaml:6: zones[0].certificate.cert: ").hasMessageContaining("missing.crt: no such file");
  }

  @Test
  void aKeyOfAnotherCertificateNamesTheKeyLine() {
    assertThatThrownBy(() -> parse("certificate:\n  cert: shop.crt\n  key: other.key")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("edge.yaml:7: zones[0].certificate.key: ").hasMessageContaining("does not belong to the certificate");
  }

  @Test
  void aFileThatIsNotPemIsRefused() throws Exception {
    Files.writeString(dir.resolve("junk.pem"), "hello\n");
    assertThatThrownBy(() -> parse("origin_ca: junk.pem")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("edge.yaml:5: zones[0].origin_ca: ").hasMessageContaining("no \"BEGIN CERTIFICATE\" block");
    assertThatThrownBy(() -> parse("certificate: { cert: shop.crt, key: junk.pem }")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("zones[0].certificate.key: ").hasMessageContaining("no private key in the file");
  }

  @Test
  void aMisspeltCertificateKeyIsRefused() {
    assertThatThrownBy(() -> parse("certificate: { cert: shop.crt, key: shop.key, chain: x.pem }"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("zones[0].certificate.chain: unknown key");
  }

  @Test
  void theShippedConfigStillLoadsAndHasNoHttpsListener() throws Exception {
    EdgeConfig c = ConfigLoader.load(Path.of("config/edgeray.yaml"));
    assertThat(c.httpsListen()).isNull();
    assertThat(c.zones()).allSatisfy(z -> assertThat(z.tls().certificate()).isNull());
  }
}
