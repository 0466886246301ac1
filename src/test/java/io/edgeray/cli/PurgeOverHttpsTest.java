package io.edgeray.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.edgeray.testing.CliRun;
import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.TestPki;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code edgeray purge} to an admin listener that speaks HTTPS with its own certificate (admin.tls). */
class PurgeOverHttpsTest {
  @RegisterExtension final EdgeExtension edge = EdgeExtension.create();
  @TempDir Path dir;
  private HttpServer origin;
  private TestPki pki;
  private TestPki.Leaf adminCert;
  private Path cliConfig;

  @BeforeEach
  void start() throws Exception {
    origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    origin.createContext("/", ex -> {
      byte[] body = "asset".getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Cache-Control", "max-age=600");
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    origin.start();
    pki = new TestPki(dir.resolve("pki"));
    adminCert = pki.issue("admin.test", "127.0.0.1"); // valid for the address the command connects to
    edge.start(admin(adminCert, 0), "  - name: shop.example\n"
        + "    origin_ports: { http: " + origin.getAddress().getPort() + " }\n"
        + "    records:\n"
        + "      - { type: A, name: \"@\", content: 127.0.0.1, proxied: true }\n");
    edge.admin(); // the edge's own token, state/admin-token, which the command finds beside its config
    cliConfig = cliConfig(adminCert);
  }

  @AfterEach
  void stop() {
    origin.stop(0);
  }

  private static String admin(TestPki.Leaf cert, int port) {
    return "admin: { listen: 127.0.0.1:" + port + ", tls: { cert: " + cert.files().cert() + ", key: " + cert.files().key()
        + " } }\n";
  }

  /** The edge's config as the command reads it: the admin port the edge got, and these admin certificate files. */
  private Path cliConfig(TestPki.Leaf cert) throws Exception {
    Path file = edge.dir().resolve("cli-" + cert.files().cert().getFileName() + ".yaml");
    Files.writeString(file, Files.readString(edge.configFile())
        .replace(admin(adminCert, 0), admin(cert, edge.node().adminAddress().getPort())));
    return file;
  }

  private CliRun purge(Path config, String... more) {
    String[] args = new String[5 + more.length];
    args[0] = "purge";
    args[1] = "shop.example";
    args[2] = "--everything";
    args[3] = "--config";
    args[4] = config.toString();
    System.arraycopy(more, 0, args, 5, more.length);
    return CliRun.of(args);
  }

  @Test
  void byDefaultTheCommandTrustsTheAdminCertificateItsConfigNames() throws Exception {
    edge.get("shop.example", "/a.css");

    CliRun r = purge(cliConfig);

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("purged 1 object(s) from shop.example\n");
    assertThat(edge.get("shop.example", "/a.css").header("edge-cache-status")).isEqualTo("MISS");
  }

  @Test
  void aCertificateOtherThanTheConfigsIsNotTrustedAndNothingIsSent() throws Exception {
    edge.get("shop.example", "/a.css");
    Path otherConfig = cliConfig(pki.issue("admin.test", "127.0.0.1"));

    CliRun r = purge(otherConfig);

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("edgeray purge: the admin API at https://127.0.0.1:")
        .contains("is not trusted").contains("not the one in");
    assertThat(edge.get("shop.example", "/a.css").header("edge-cache-status")).isEqualTo("HIT");
  }

  @Test
  void withCacertTheCommandTrustsThatAuthorityInstead() throws Exception {
    edge.get("shop.example", "/a.css");
    TestPki stranger = new TestPki(dir.resolve("stranger"), "another CA");

    CliRun refused = purge(cliConfig, "--cacert", stranger.caFile().toString());
    CliRun trusted = purge(cliConfig, "--cacert", pki.caFile().toString());

    assertThat(refused.code()).isEqualTo(2);
    assertThat(refused.err()).contains("is not trusted").contains("checked against " + stranger.caFile());
    assertThat(trusted.code()).as(trusted.err()).isZero();
    assertThat(trusted.out()).isEqualTo("purged 1 object(s) from shop.example\n");
  }

  @Test
  void aCacertForAPlainHttpAdminListenerIsAMistakeTheCommandNames() throws Exception {
    Path plain = dir.resolve("plain.yaml");
    Files.writeString(plain, Files.readString(cliConfig).replaceAll(", tls: \\{[^}]*\\}", ""));

    CliRun r = purge(plain, "--cacert", pki.caFile().toString());

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--cacert is for an HTTPS admin listener").contains("no admin.tls");
  }
}
