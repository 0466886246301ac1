package io.edgeray.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.edgeray.testing.CliRun;
import io.edgeray.testing.EdgeExtension;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code edgeray purge} drops objects from a running edge's cache through its admin API. */
class PurgeCommandTest {
  @RegisterExtension final EdgeExtension edge = EdgeExtension.create();
  @TempDir Path dir;
  private HttpServer origin;
  private final AtomicInteger hits = new AtomicInteger();
  private Path cliConfig;

  @BeforeEach
  void start() throws Exception {
    origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    origin.createContext("/", ex -> {
      hits.incrementAndGet();
      byte[] body = "asset".getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Cache-Control", "max-age=600");
      ex.getResponseHeaders().add("Cache-Tag", "assets");
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    origin.start();
    edge.start("admin: 127.0.0.1:0\n", "  - name: shop.example\n"
        + "    origin_ports: { http: " + origin.getAddress().getPort() + " }\n"
        + "    records:\n"
        + "      - { type: A, name: \"@\", content: 127.0.0.1, proxied: true }\n");
    // the command reads where the admin API listens from the config (the edge's own says port 0), and
    // beside it the edge's own token, state/admin-token
    edge.admin();
    cliConfig = edge.dir().resolve("cli.yaml");
    Files.writeString(cliConfig, Files.readString(edge.configFile())
        .replace("admin: 127.0.0.1:0", "admin: 127.0.0.1:" + edge.node().adminAddress().getPort()));
  }

  @AfterEach
  void stop() {
    origin.stop(0);
  }

  @Test
  void purgingAFileMakesItsNextRequestAMissAndSaysHowManyWent() throws Exception {
    edge.get("shop.example", "/a.css");
    assertThat(edge.get("shop.example", "/a.css").header("edge-cache-status")).isEqualTo("HIT");

    CliRun r = CliRun.of("purge", "shop.example", "--files", "http://shop.example/a.css", "--config", cliConfig.toString());

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("purged 1 object(s) from shop.example\n");
    assertThat(edge.get("shop.example", "/a.css").header("edge-cache-status")).isEqualTo("MISS");
  }

  @Test
  void tagsAndEverythingPurgeToo() throws Exception {
    edge.get("shop.example", "/t.js");
    assertThat(CliRun.of("purge", "shop.example", "--tags", "assets", "--config", cliConfig.toString()).out())
        .isEqualTo("purged 1 object(s) from shop.example\n");
    edge.get("shop.example", "/t.js");
    assertThat(CliRun.of("purge", "shop.example", "--everything", "--config", cliConfig.toString()).code()).isZero();
    assertThat(edge.get("shop.example", "/t.js").header("edge-cache-status")).isEqualTo("MISS");
  }

  @Test
  void aWrongTokenIsRefusedByTheEdge() {
    CliRun r = CliRun.of("purge", "shop.example", "--everything", "--token", "edr_wrong", "--config", cliConfig.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("the edge answered 401");
  }

  @Test
  void anUnknownZoneIsRefusedWithTheEdgesAnswer() {
    CliRun r = CliRun.of("purge", "nowhere.example", "--everything", "--config", cliConfig.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("the edge answered 404").contains("no zone named nowhere.example");
  }

  @Test
  void withoutWhatToPurgeTheCommandSaysSoBeforeAskingTheEdge() {
    CliRun r = CliRun.of("purge", "shop.example", "--config", cliConfig.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("Missing required argument");
  }

  @Test
  void aConfigWithoutAnAdminListenerIsExplained() throws Exception {
    Path noAdmin = dir.resolve("no-admin.yaml");
    Files.writeString(noAdmin, Files.readString(cliConfig).replaceAll("(?m)^admin: .*\n", ""));
    CliRun r = CliRun.of("purge", "shop.example", "--everything", "--config", noAdmin.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("has no admin: listener").contains("admin: 127.0.0.1:9090");
  }
}
