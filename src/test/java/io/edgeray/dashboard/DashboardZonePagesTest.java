package io.edgeray.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.edgeray.testing.Browser;
import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.TestPki;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/** The SSL/TLS and Caching pages show what the edge has: the zone's certificate, the zone's cache figures. */
class DashboardZonePagesTest {
  @RegisterExtension static final Browser browser = Browser.create();
  @RegisterExtension final EdgeExtension edge = EdgeExtension.create();
  @TempDir Path pkiDir;
  private HttpServer origin;

  @AfterEach
  void stop() {
    if (origin != null) origin.stop(0);
  }

  private static String zone(int port, String extra) {
    return "  - name: shop.example\n"
        + "    origin_ports: { http: " + port + " }\n"
        + (extra.isEmpty() ? "" : "    " + extra + "\n")
        + "    records:\n"
        + "      - { type: A, name: \"@\", content: 127.0.0.1, proxied: true }\n";
  }

  @Test
  void theSslPageShowsTheCertificatesNamesExpiryAndDaysLeftAndWarnsUnder14Days() throws Exception {
    TestPki pki = new TestPki(pkiDir);
    Instant notAfter = Instant.now().plus(Duration.ofDays(10)).truncatedTo(ChronoUnit.SECONDS);
    TestPki.Leaf leaf = pki.leaf("shop.example", "www.shop.example").valid(Instant.now().minus(Duration.ofDays(1)), notAfter).issue();
    edge.https().start(Dashboard.adminYaml(), zone(1, leaf.yaml()));

    Dashboard dashboard = new Dashboard(browser, edge).signIn(Dashboard.VIEWER).go("ssl");

    assertThat(dashboard.waitFor(By.id("certificate-names")).getText()).isEqualTo("shop.example, www.shop.example");
    assertThat(dashboard.waitFor(By.id("certificate-expiry")).getText())
        .isEqualTo("Expires " + notAfter.toString().replace('T', ' ') + " (in 9 days)");
    assertThat(dashboard.notice("warn")).isEqualTo("This certificate expires in 9 days: replace the files named in the config before then.");
  }

  @Test
  void theCachingPageShowsAHitRatioOf50PercentAfterOneMissAndOneHit() throws Exception {
    byte[] body = "body { color: red }".getBytes(StandardCharsets.UTF_8);
    origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    origin.createContext("/a.css", ex -> {
      try (ex) {
        ex.getResponseHeaders().add("Cache-Control", "max-age=600");
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
      }
    });
    origin.start();
    edge.start(Dashboard.adminYaml(), zone(origin.getAddress().getPort(), ""));
    assertThat(edge.get("shop.example", "/a.css").header("edge-cache-status")).isEqualTo("MISS");
    assertThat(edge.get("shop.example", "/a.css").header("edge-cache-status")).isEqualTo("HIT");

    Dashboard dashboard = new Dashboard(browser, edge).signIn(Dashboard.VIEWER).go("caching");

    assertThat(dashboard.waitFor(By.id("cache-hit-ratio")).getText()).isEqualTo("50 %");
    assertThat(browser.driver().findElements(By.cssSelector("[data-test=cache-status-row]")).stream().map(e -> e.getText()))
        .contains("HIT 1", "MISS 1");
    assertThat(browser.driver().findElement(By.cssSelector("[data-test=cache-tier-row]")).getText())
        .startsWith("memory 1 objects, ");
  }
}
